package com.example.shop.storefront.security;

/**
 * The shopper's login can no longer be used: the refresh token expired or Keycloak revoked the session, or the
 * gateway refused the token (401). The page sends them to log in again.
 */
public class SessionExpiredException extends RuntimeException {

	public SessionExpiredException(String message, Throwable cause) {
		super(message, cause);
	}

}

package com.example.shop.storefront.security;

import java.util.Optional;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.ClientAuthorizationException;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.stereotype.Component;

/**
 * The signed-in shopper's access token, for the calls the storefront makes on their behalf. Through
 * {@link OAuth2AuthorizedClientManager}, so a token about to expire is refreshed first and the new one saved in the
 * session. Called on the request's thread (the manager reads the request and session from it).
 */
@Component
public class UserTokens {

	private final OAuth2AuthorizedClientManager clients;

	UserTokens(OAuth2AuthorizedClientManager clients) {
		this.clients = clients;
	}

	/** The shopper's token, or empty for an anonymous visitor. */
	public Optional<String> current() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (!(authentication instanceof OAuth2AuthenticationToken login)) {
			return Optional.empty();
		}
		OAuth2AuthorizedClient client;
		try {
			client = clients.authorize(OAuth2AuthorizeRequest
				.withClientRegistrationId(login.getAuthorizedClientRegistrationId())
				.principal(login)
				.build());
		}
		catch (ClientAuthorizationException refused) {
			// The refresh token expired or the realm ended the session: the manager has already forgotten the tokens.
			throw new SessionExpiredException("The login could not be renewed: " + refused.getError(), refused);
		}
		if (client == null) {
			throw new SessionExpiredException("No tokens are kept for this login", null);
		}
		return Optional.of(client.getAccessToken().getTokenValue());
	}

}

package com.example.shop.storefront.shop;

/**
 * The part of the shop a page needs did not answer: the gateway answered 5xx (a service behind it is down or
 * overloaded, and the gateway's own breaker for it may be open), or the gateway itself could not be reached in time
 * ({@link GatewayUnreachableException}). Pages show a sentence, never a stack trace.
 */
public class ShopUnavailableException extends RuntimeException {

	private final int status;

	public ShopUnavailableException(int status, String message, Throwable cause) {
		super(message, cause);
		this.status = status;
	}

	/** The gateway's status code, or 0 when it did not answer. */
	public int status() {
		return status;
	}

}

package com.example.shop.storefront.shop;

/**
 * The gateway itself did not answer: the connection was refused, or no answer came before the deadline. The only
 * failure the storefront's circuit breaker "gateway" counts: a 5xx answer means the gateway is up and already
 * protecting the service behind it with a breaker of its own, and one service being down must not close the whole
 * shop (the catalog keeps working while order-service is away).
 */
public class GatewayUnreachableException extends ShopUnavailableException {

	public GatewayUnreachableException(String message, Throwable cause) {
		super(0, message, cause);
	}

}

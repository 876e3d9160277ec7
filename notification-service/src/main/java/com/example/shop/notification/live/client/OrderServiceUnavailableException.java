package com.example.shop.notification.live.client;

/** order-service did not answer usefully (timeout, refused connection, 5xx, no instance): the breaker counts it. */
class OrderServiceUnavailableException extends RuntimeException {

	OrderServiceUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}

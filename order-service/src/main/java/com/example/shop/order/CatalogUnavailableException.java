package com.example.shop.order;

/**
 * product-service could not answer (unreachable, too slow, overloaded, or its circuit breaker is open).
 * Retryable for the idempotent read; the order cannot be priced without it.
 */
public class CatalogUnavailableException extends RuntimeException {

	public CatalogUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}

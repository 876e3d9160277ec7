package com.example.shop.notification.live;

/** What order-service said about an order the projection does not know yet ({@link OrderDirectory}). */
public sealed interface OrderLookup {

	/** The order exists; its status now and its customer (null if order-service did not say). */
	record Found(KnownOrder order) implements OrderLookup {
	}

	/** order-service answered 404: there is no such order. */
	record NotFound() implements OrderLookup {
	}

	/**
	 * No answer in time, an error, an open circuit breaker, or no token of this service's own to ask with:
	 * whether the order exists, and whose it is, is not known.
	 */
	record Unavailable(String why) implements OrderLookup {
	}

}

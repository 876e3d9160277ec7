package com.example.shop.notification.live;

/** What order-service said about an order the projection does not know yet. */
sealed interface OrderLookup {

	/** The order exists; its status now. */
	record Found(OrderStatusUpdate status) implements OrderLookup {
	}

	/** order-service answered 404: there is no such order. */
	record NotFound() implements OrderLookup {
	}

	/** No answer in time, an error, or an open circuit breaker: whether the order exists is not known. */
	record Unavailable(String why) implements OrderLookup {
	}

}

package com.example.shop.order;

import java.util.UUID;

/**
 * No such order, or not one the caller may see: the same refusal, so an id tells a stranger nothing. The REST
 * edge answers 404.
 */
public class OrderNotFoundException extends RuntimeException {

	public OrderNotFoundException(UUID orderId) {
		super("Order " + orderId + " does not exist");
	}

}

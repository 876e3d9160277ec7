package com.example.shop.notification.live;

import java.util.UUID;

/**
 * What order-service knows of an order this service has not heard of yet (or not whose it is): its status now and
 * its customer. A port: {@link LiveStatusAccess} asks through it, the REST client in {@code live.client} answers.
 */
public interface OrderDirectory {

	/**
	 * Never throws for order-service's failures: whatever keeps it from answering (a timeout, an error, an open circuit
	 * breaker, no token to ask with) is {@link OrderLookup.Unavailable}.
	 */
	OrderLookup lookup(UUID orderId);

}

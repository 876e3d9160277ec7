package com.example.shop.payment.messaging;

import org.springframework.amqp.core.DirectExchange;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.example.shop.messaging.rabbit.RabbitQueueTopology;

/**
 * What payment-service declares on RabbitMQ (docs/messaging.md):
 *
 * <pre>
 * payment.commands (direct) --authorize|capture|void|refund--> payment.commands (quorum)
 *                                                              + payment.commands.retry.1..3, .dlx, .dlq (libs/messaging)
 * payment.replies  (direct)   the queue order.payment-replies is order-service's to declare and bind
 * </pre>
 *
 * Both exchanges are declared by both services (publisher and consumer), so whichever starts first makes
 * them and start order does not matter; that only works while both declare the same type.
 */
@Configuration(proxyBeanMethods = false)
class PaymentMessagingConfiguration {

	static final String COMMANDS_EXCHANGE = "payment.commands";

	static final String COMMANDS_QUEUE = "payment.commands";

	static final String REPLIES_EXCHANGE = "payment.replies";

	/** order-service binds its queue {@code order.payment-replies} with this key. */
	static final String REPLIES_ROUTING_KEY = "order-service";

	/** The queue, its retry tiers and its parking queue {@code payment.commands.dlq}, by libs/messaging. */
	@Bean
	RabbitQueueTopology paymentCommands() {
		return RabbitQueueTopology.direct(COMMANDS_QUEUE, COMMANDS_EXCHANGE, "authorize", "capture", "void", "refund");
	}

	@Bean
	DirectExchange paymentReplies() {
		return new DirectExchange(REPLIES_EXCHANGE, true, false);
	}

}

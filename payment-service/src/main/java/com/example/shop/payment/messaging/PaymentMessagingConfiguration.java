package com.example.shop.payment.messaging;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.example.shop.messaging.rabbit.RabbitQueueTopology;

/**
 * What payment-service declares on RabbitMQ (docs/messaging.md):
 *
 * <pre>
 * payment.commands (direct) --authorize|capture|void|refund--> payment.commands (quorum)
 *                                                              + payment.commands.retry.1..3, .redelivery, .dlx, .dlq (libs/messaging)
 * payment.replies  (direct)   published to; order-service declares it and binds its queue order.payment-replies
 * </pre>
 *
 * Each exchange is declared by the service that consumes from it, with its queue; the publisher only writes to
 * it (its RabbitMQ user may do no more: deploy/rabbitmq/permissions). A reply sent before order-service has
 * declared {@code payment.replies} waits in the outbox and is retried.
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

}

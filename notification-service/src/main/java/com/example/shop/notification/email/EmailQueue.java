package com.example.shop.notification.email;

import com.example.shop.messaging.rabbit.RabbitQueueTopology;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The RabbitMQ side of email delivery (docs/messaging.md):
 *
 * <pre>
 * notification.email (direct) --email--> notification.email (quorum)
 *                                        + notification.email.retry.1..N, .dlx, .dlq (libs/messaging)
 * </pre>
 *
 * This service both publishes (through its outbox, in the transaction that stored the notification) and
 * consumes: the queue decouples accepting an order event from talking to the SMTP server, and its retry tiers
 * hold a delivery for growing, broker-side delays while the SMTP server is away, without a thread waiting.
 */
@Configuration(proxyBeanMethods = false)
public class EmailQueue {

	public static final String EXCHANGE = "notification.email";

	public static final String QUEUE = "notification.email";

	public static final String ROUTING_KEY = "email";

	/** The parking queue the library declares for {@link #QUEUE}. */
	public static final String DEAD_LETTER_QUEUE = QUEUE + ".dlq";

	/** The queue, its retry tiers ({@code shop.messaging.rabbit.retry-delays}) and its parking queue. */
	@Bean
	RabbitQueueTopology notificationEmail() {
		return RabbitQueueTopology.direct(QUEUE, EXCHANGE, ROUTING_KEY);
	}

}

package com.example.shop.order.messaging;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

/**
 * payment-service's replies from the RabbitMQ quorum queue {@code order.payment-replies} (bound to the
 * exchange {@code payment.replies} with routing key {@code order-service}). Retry tiers and the parking
 * queue {@code order.payment-replies.dlq} are libs/messaging's; a malformed message goes there at once.
 */
@Component
class PaymentRepliesListener {

	private final SagaReplies replies;

	PaymentRepliesListener(SagaReplies replies) {
		this.replies = replies;
	}

	@RabbitListener(id = "payment-replies", queues = "${shop.orders.messaging.payment-replies-queue:order.payment-replies}")
	void on(Message message) {
		this.replies.paymentReply(message.getBody());
	}

}

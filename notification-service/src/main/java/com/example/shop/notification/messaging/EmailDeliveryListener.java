package com.example.shop.notification.messaging;

import java.util.UUID;

import com.example.shop.messaging.MessagingProperties;
import com.example.shop.messaging.envelope.MalformedMessageException;
import com.example.shop.messaging.envelope.MessageContract;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.MessageEnvelopeCodec;
import com.example.shop.messaging.envelope.PayloadFields;
import com.example.shop.messaging.rabbit.RetryHeaders;
import com.example.shop.notification.email.EmailDelivery;
import com.example.shop.notification.email.EmailQueue;
import com.example.shop.notification.email.PermanentEmailFailureException;
import com.example.shop.notification.email.TransientEmailFailureException;
import com.example.shop.notification.email.UnknownNotificationException;
import com.example.shop.proto.notification.messages.v1.SendEmail;

import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

/**
 * {@code SendEmail v1} from the quorum queue {@code notification.email}: each message is one {@link EmailDelivery}
 * of the notification it names, whatever is redelivered.
 * <p>
 * A {@link TransientEmailFailureException} goes to libs/messaging, which moves the message to the next retry tier
 * {@code notification.email.retry.N} (a broker-side delay, no thread waits). When the message has already been
 * through every tier ({@code x-retry-count} equals the number of tiers), the delivery is the last, and the library
 * parks the message in {@code notification.email.dlq}. A {@link PermanentEmailFailureException} becomes an
 * {@link AmqpRejectAndDontRequeueException}, which the library parks at once. A message that is not a
 * {@code SendEmail v1} about an existing notification is a {@link MalformedMessageException}: parked at once too.
 */
@Component
class EmailDeliveryListener {

	private final EmailDelivery delivery;

	private final int retryTiers;

	EmailDeliveryListener(EmailDelivery delivery, MessagingProperties messaging) {
		this.delivery = delivery;
		this.retryTiers = messaging.rabbit().retryDelays().size();
	}

	@RabbitListener(id = "notification-email", queues = EmailQueue.QUEUE)
	void on(Message message) {
		MessageEnvelope envelope = MessageEnvelopeCodec.decode(message.getBody());
		UUID id = notificationId(envelope);
		try {
			this.delivery.deliver(id, retryCount(message), this.retryTiers);
		}
		catch (UnknownNotificationException ex) {
			throw new MalformedMessageException(envelope.describe() + ": " + ex.getMessage());
		}
		catch (PermanentEmailFailureException ex) {
			throw new AmqpRejectAndDontRequeueException(ex.getMessage(), ex);
		}
	}

	private static UUID notificationId(MessageEnvelope envelope) {
		String id = MessageContract.of(SendEmail.class).read(envelope).getNotificationId();
		if (id.isEmpty()) {
			throw new MalformedMessageException(envelope.describe() + " has no notificationId");
		}
		try {
			return PayloadFields.uuid(id, "notificationId");
		}
		catch (MalformedMessageException ex) {
			throw new MalformedMessageException(envelope.describe() + ": " + ex.getMessage(), ex);
		}
	}

	private static int retryCount(Message message) {
		Object value = message.getMessageProperties().getHeaders().get(RetryHeaders.RETRY_COUNT);
		if (value instanceof Number number) {
			return number.intValue();
		}
		try {
			return (value != null) ? Integer.parseInt(value.toString()) : 0;
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}

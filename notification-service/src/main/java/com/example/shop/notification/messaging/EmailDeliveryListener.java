package com.example.shop.notification.email;

import java.time.Clock;
import java.util.UUID;

import com.example.shop.messaging.MessagingProperties;
import com.example.shop.messaging.envelope.MalformedMessageException;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.MessageContract;
import com.example.shop.messaging.envelope.MessageEnvelopeCodec;
import com.example.shop.messaging.envelope.PayloadFields;
import com.example.shop.proto.notification.messages.v1.SendEmail;
import com.example.shop.messaging.rabbit.RetryHeaders;
import com.example.shop.notification.notifications.Notification;
import com.example.shop.notification.notifications.NotificationRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers notifications: {@code SendEmail v1} from the quorum queue {@code notification.email}, one email per
 * notification, whatever is redelivered.
 * <p>
 * <b>Once.</b> The notification's row is locked ({@code SELECT ... FOR UPDATE}) for the SMTP conversation and
 * marked SENT in the same transaction; a second copy of the message (a redelivery, or the same message on
 * another replica) waits for that lock and then finds SENT, and sends nothing. The lock holds a pooled
 * connection for at most the SMTP deadlines ({@code spring.mail.properties}), which is why they are short.
 * <b>The one window:</b> if the process dies, or the commit fails, after the SMTP server accepted the email
 * and before SENT is committed, the message is delivered again and the email is sent a second time. Nothing
 * local can close that window (the SMTP server and the database do not share a transaction); the second copy
 * carries the same Message-ID ({@code <notification-id@shop.example>}), by which mail clients and servers
 * recognise it as the same message.
 * <p>
 * <b>Failures.</b> Transient (SMTP unreachable, a timeout, a 4xx): the row becomes RETRYING with the attempt
 * counted and the error, in its own statement, and the exception goes to libs/messaging, which moves the
 * message to the next retry tier {@code notification.email.retry.N} (a broker-side delay, no thread waits).
 * When the message has already been through every tier ({@code x-retry-count} equals the number of tiers),
 * the library parks it in {@code notification.email.dlq}, so the row becomes FAILED instead. Permanent (an
 * invalid address, a 5xx answer, a template that cannot render): FAILED with the reason, and an
 * {@link AmqpRejectAndDontRequeueException}, which the library parks at once. A message that is not a
 * {@code SendEmail v1} about an existing notification is a {@link MalformedMessageException}: parked at once
 * too. A FAILED notification replayed from the parking queue by an operator is simply tried again.
 */
@Component
class EmailDeliveryListener {

	private static final Logger log = LoggerFactory.getLogger(EmailDeliveryListener.class);

	private final NotificationRepository notifications;

	private final EmailRenderer renderer;

	private final SmtpMailer mailer;

	private final NotificationMetrics metrics;

	private final TransactionTemplate transaction;

	private final int retryTiers;

	private final Clock clock;

	EmailDeliveryListener(NotificationRepository notifications, EmailRenderer renderer, SmtpMailer mailer,
			NotificationMetrics metrics, PlatformTransactionManager transactionManager, MessagingProperties messaging) {
		this.notifications = notifications;
		this.renderer = renderer;
		this.mailer = mailer;
		this.metrics = metrics;
		this.transaction = new TransactionTemplate(transactionManager);
		this.retryTiers = messaging.rabbit().retryDelays().size();
		this.clock = Clock.systemUTC();
	}

	@RabbitListener(id = "notification-email", queues = EmailQueue.QUEUE)
	void on(Message message) {
		MessageEnvelope envelope = MessageEnvelopeCodec.decode(message.getBody());
		UUID id = notificationId(envelope);
		Notification notification = this.notifications.find(id)
			.orElseThrow(() -> new MalformedMessageException(envelope.describe() + ": no notification " + id));
		if (notification.isSent()) {
			log.debug("Notification {} was sent at {}; {} is a duplicate", id, notification.sentAt(), envelope.describe());
			return;
		}
		try {
			if (Boolean.TRUE.equals(this.transaction.execute((status) -> deliverOnce(id)))) {
				// Counted once committed: a rolled-back SENT is delivered again.
				this.metrics.sent(notification.type());
			}
		}
		catch (PermanentEmailFailureException ex) {
			this.notifications.markFailed(id, ex.getMessage(), this.clock.instant());
			this.metrics.failed(notification.type());
			log.warn("Notification {} ({} to order {}) cannot be sent and is parked: {}", id, notification.type(),
					notification.orderId(), ex.getMessage());
			throw new AmqpRejectAndDontRequeueException(ex.getMessage(), ex);
		}
		catch (TransientEmailFailureException ex) {
			int retries = retryCount(message);
			if (retries >= this.retryTiers) {
				this.notifications.markFailed(id,
						"gave up after " + retries + " retries: " + ex.getMessage(), this.clock.instant());
				this.metrics.failed(notification.type());
			}
			else {
				this.notifications.markRetrying(id, ex.getMessage(), this.clock.instant());
			}
			throw ex;
		}
	}

	/** In the caller's transaction: lock, check, send, mark SENT. Returns whether this call sent it. */
	private boolean deliverOnce(UUID id) {
		Notification notification = this.notifications.lock(id).orElseThrow();
		if (notification.isSent()) {
			log.debug("Notification {} was sent meanwhile by another delivery", id);
			return false;
		}
		RenderedEmail email = this.renderer.render(notification);
		this.metrics.timeSend(() -> this.mailer.send(notification, email));
		this.notifications.markSent(id, this.clock.instant());
		log.info("Sent {} email for order {} to {} (notification {}, attempt {})", notification.type(),
				notification.orderId(), notification.recipient(), id, notification.attempts() + 1);
		return true;
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

package com.example.shop.notification.email;

import java.time.Clock;
import java.util.UUID;

import com.example.shop.notification.Notification;
import com.example.shop.notification.NotificationRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers a notification: one email per notification, however often it is asked to (the RabbitMQ adapter
 * {@code messaging.EmailDeliveryListener} asks once per {@code SendEmail} message, redeliveries included).
 * <p>
 * <b>Once.</b> The notification's row is locked ({@code SELECT ... FOR UPDATE}) for the SMTP conversation and
 * marked SENT in the same transaction; a second delivery of the same notification (a redelivery, or the same message
 * on another replica) waits for that lock and then finds SENT, and sends nothing. The lock holds a pooled
 * connection for at most the SMTP deadlines ({@code spring.mail.properties}), which is why they are short.
 * <b>The one window:</b> if the process dies, or the commit fails, after the SMTP server accepted the email
 * and before SENT is committed, the notification is delivered again and the email is sent a second time. Nothing
 * local can close that window (the SMTP server and the database do not share a transaction); the second copy
 * carries the same Message-ID ({@code <notification-id@shop.example>}), by which mail clients and servers
 * recognise it as the same message.
 * <p>
 * <b>Failures.</b> Transient (SMTP unreachable, a timeout, a 4xx): the row becomes RETRYING with the attempt
 * counted and the error, in its own statement, and the {@link TransientEmailFailureException} goes to the caller,
 * which retries later. When no retry is left, the row becomes FAILED instead. Permanent (an invalid address, a 5xx
 * answer, a template that cannot render): FAILED with the reason, and a {@link PermanentEmailFailureException}: the
 * caller gives up on it at once. A FAILED notification delivered again (an operator's replay) is simply tried again.
 */
@Component
public class EmailDelivery {

	private static final Logger log = LoggerFactory.getLogger(EmailDelivery.class);

	private final NotificationRepository notifications;

	private final EmailRenderer renderer;

	private final SmtpMailer mailer;

	private final NotificationMetrics metrics;

	private final TransactionTemplate transaction;

	private final Clock clock;

	EmailDelivery(NotificationRepository notifications, EmailRenderer renderer, SmtpMailer mailer,
			NotificationMetrics metrics, PlatformTransactionManager transactionManager, Clock clock) {
		this.notifications = notifications;
		this.renderer = renderer;
		this.mailer = mailer;
		this.metrics = metrics;
		this.transaction = new TransactionTemplate(transactionManager);
		this.clock = clock;
	}

	/**
	 * Sends the notification's email unless it was sent already.
	 * @param retries how often this delivery has been retried already
	 * @param retryLimit how often it is retried at most: a transient failure at the limit is final
	 * @throws UnknownNotificationException when there is no such notification
	 * @throws PermanentEmailFailureException when the email can never be sent as it is (the notification is FAILED)
	 * @throws TransientEmailFailureException when another attempt may succeed (the notification is RETRYING, or FAILED
	 * when the retries are used up)
	 */
	public void deliver(UUID id, int retries, int retryLimit) {
		Notification notification = this.notifications.find(id).orElseThrow(() -> new UnknownNotificationException(id));
		if (notification.isSent()) {
			log.debug("Notification {} was sent at {}; this delivery is a duplicate", id, notification.sentAt());
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
			throw ex;
		}
		catch (TransientEmailFailureException ex) {
			if (retries >= retryLimit) {
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

}

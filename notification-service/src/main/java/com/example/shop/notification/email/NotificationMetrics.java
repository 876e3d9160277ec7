package com.example.shop.notification.email;

import com.example.shop.notification.NotificationType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * Email delivery as metrics: counters {@code notifications.sent} and {@code notifications.failed}
 * ({@code notifications_sent_total}, {@code notifications_failed_total} in Prometheus; tag {@code type}, the
 * notification type; failed counts parked notifications, not the attempts that a retry tier fixed), and the
 * timer {@code notifications.smtp.send} of each SMTP conversation (tag {@code outcome}: sent, transient,
 * permanent), which shows a slow or failing SMTP server before the parking queue does.
 */
@Component
class NotificationMetrics {

	private final MeterRegistry registry;

	NotificationMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	void sent(NotificationType type) {
		counter("notifications.sent", "Emails the SMTP server accepted", type).increment();
	}

	void failed(NotificationType type) {
		counter("notifications.failed", "Emails given up on and parked in notification.email.dlq", type).increment();
	}

	/** Runs the SMTP send and times it, tagged with how it ended. */
	void timeSend(Runnable send) {
		Timer.Sample sample = Timer.start(this.registry);
		String outcome = "sent";
		try {
			send.run();
		}
		catch (PermanentEmailFailureException ex) {
			outcome = "permanent";
			throw ex;
		}
		catch (RuntimeException ex) {
			outcome = "transient";
			throw ex;
		}
		finally {
			sample.stop(Timer.builder("notifications.smtp.send")
				.description("Duration of SMTP sends")
				.tag("outcome", outcome)
				.register(this.registry));
		}
	}

	private Counter counter(String name, String description, NotificationType type) {
		return Counter.builder(name).description(description).tag("type", type.name()).register(this.registry);
	}

}

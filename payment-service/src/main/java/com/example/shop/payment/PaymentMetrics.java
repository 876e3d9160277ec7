package com.example.shop.payment;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * The {@code payments} counter ({@code payments_total} in Prometheus), tagged {@code operation}
 * (authorize, capture, void, refund) and {@code outcome} (authorized, declined, unavailable, completed,
 * repeated, refused): how often the provider says no, how often it is unavailable, how many commands are
 * redeliveries.
 */
@Component
class PaymentMetrics {

	private final MeterRegistry registry;

	PaymentMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	AuthorizationOutcome count(AuthorizationOutcome outcome) {
		String tag = switch (outcome) {
			case AuthorizationOutcome.Authorized authorized -> "authorized";
			case AuthorizationOutcome.Declined declined -> "declined";
			case AuthorizationOutcome.ProviderUnavailable unavailable -> "unavailable";
		};
		increment("authorize", tag);
		return outcome;
	}

	StepOutcome count(PaymentStep step, StepOutcome outcome) {
		String tag = switch (outcome) {
			case StepOutcome.Completed completed -> completed.repeated() ? "repeated" : "completed";
			case StepOutcome.Refused refused -> "refused";
			case StepOutcome.ProviderUnavailable unavailable -> "unavailable";
		};
		increment(step.operation(), tag);
		return outcome;
	}

	private void increment(String operation, String outcome) {
		Counter.builder("payments")
			.description("Payment operations by outcome")
			.tag("operation", operation)
			.tag("outcome", outcome)
			.register(this.registry)
			.increment();
	}

}

package com.example.shop.payment.messaging;

import com.example.shop.messaging.envelope.MessageEnvelope;

/**
 * The provider did not answer a command in time or failed transiently: nothing was decided, the payment is
 * as it was. Thrown from the listener so libs/messaging moves the command to its next retry tier
 * ({@code payment.commands.retry.N}: the broker holds it, no thread waits) and, after the last one, to
 * {@code payment.commands.dlq}. Asking the provider again is safe: the same payment id is its idempotency
 * key.
 */
public class PaymentProviderUnavailableException extends RuntimeException {

	PaymentProviderUnavailableException(MessageEnvelope command, String reason) {
		super("The payment provider is unavailable for " + command.describe() + " of order " + command.correlationId()
				+ " (" + reason + "); retried later");
	}

}

package com.example.shop.payment.messaging;

import java.util.UUID;
import java.util.function.Supplier;

import com.example.shop.messaging.envelope.MalformedMessageException;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.MessageEnvelopeCodec;
import com.example.shop.messaging.inbox.Inbox;
import com.example.shop.messaging.outbox.Outbox;
import com.example.shop.messaging.outbox.OutgoingMessage;
import com.example.shop.payment.messaging.PaymentMessages.AuthorizePayment;
import com.example.shop.payment.messaging.PaymentMessages.CapturePayment;
import com.example.shop.payment.messaging.PaymentMessages.PaymentAuthorized;
import com.example.shop.payment.messaging.PaymentMessages.PaymentCaptured;
import com.example.shop.payment.messaging.PaymentMessages.PaymentDeclined;
import com.example.shop.payment.messaging.PaymentMessages.PaymentRefunded;
import com.example.shop.payment.messaging.PaymentMessages.PaymentRefused;
import com.example.shop.payment.messaging.PaymentMessages.PaymentVoided;
import com.example.shop.payment.messaging.PaymentMessages.RefundPayment;
import com.example.shop.payment.messaging.PaymentMessages.VoidPayment;
import com.example.shop.payment.payment.AuthorizationOutcome;
import com.example.shop.payment.payment.ConflictingPaymentRequestException;
import com.example.shop.payment.payment.InvalidPaymentRequestException;
import com.example.shop.payment.payment.PaymentStep;
import com.example.shop.payment.payment.Payments;
import com.example.shop.payment.payment.StepOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The saga's payment commands (AuthorizePayment, CapturePayment, VoidPayment, RefundPayment v1) from the
 * quorum queue {@code payment.commands}, each answered with one reply to the exchange
 * {@code payment.replies}, routing key {@code order-service}, correlation id = order id.
 * <p>
 * <b>Why the work is split in two, and why that is still exactly one effect and one reply.</b> The provider
 * call must not run inside a database transaction (a transaction open for up to the provider's deadline
 * pins a pooled connection, and the simulator's own transactions would join it), so {@link Payments} does
 * its work in single-statement steps and is idempotent by order id: the first call claims the order's
 * payment, asks the provider with the payment id as idempotency key and records the answer; any later call
 * for the same order answers from what was recorded, never charging twice. Hence:
 * <ol>
 * <li>Call the seam, outside any transaction. It returns the payment's recorded outcome, or says the
 * provider is unavailable (then nothing is decided and nothing is replied: the message goes to a retry
 * tier, see below).</li>
 * <li>In one transaction: {@link Inbox#firstDelivery} for the message id and, only the first time, the reply
 * into the {@link Outbox}. They commit together, so a message is either answered and remembered, or
 * neither.</li>
 * </ol>
 * A crash between 1 and 2, or a redelivery of a command already answered, runs 1 again: the seam finds the
 * recorded outcome (no second charge, no second transition) and yields the same reply, which step 2 then
 * records and sends once, or skips as a duplicate. The outcome a redelivery reads is the one the first
 * delivery recorded: an authorization answers Authorized once approved whatever happened since, and a
 * capture, void or refund is "done" once its timestamp is set. Two replicas handed the same message at
 * once both get the seam's one outcome; the second inbox insert waits for the first transaction and finds
 * its row, so one reply leaves.
 * <p>
 * <b>Failures.</b> {@code ProviderUnavailable}: {@link PaymentProviderUnavailableException}, which
 * libs/messaging retries through the broker-side tiers {@code payment.commands.retry.N} (no listener thread
 * sleeps) and after the last one parks in {@code payment.commands.dlq}; order-service's step timeout then
 * compensates. A command that can never succeed (not an envelope, an unknown type or version, a payload
 * that does not fit, {@link InvalidPaymentRequestException}, {@link ConflictingPaymentRequestException})
 * is a {@link MalformedMessageException}: {@code payment.commands.dlq} at once, the reason in
 * {@code x-exception-message}, nothing stored and nothing replied.
 */
@Component
class PaymentCommandsListener {

	private static final Logger log = LoggerFactory.getLogger(PaymentCommandsListener.class);

	/** The inbox's name for this processing step. */
	static final String CONSUMER = "payment-service.payment-commands";

	private final Payments payments;

	private final Inbox inbox;

	private final Outbox outbox;

	private final TransactionTemplate transaction;

	PaymentCommandsListener(Payments payments, Inbox inbox, Outbox outbox,
			PlatformTransactionManager transactionManager) {
		this.payments = payments;
		this.inbox = inbox;
		this.outbox = outbox;
		this.transaction = new TransactionTemplate(transactionManager);
	}

	@RabbitListener(id = "payment-commands", queues = PaymentMessagingConfiguration.COMMANDS_QUEUE)
	void on(Message message) {
		MessageEnvelope command = MessageEnvelopeCodec.decode(message.getBody());
		Reply reply = decide(command);
		replyOnce(command, reply);
	}

	/**
	 * Step 1: the seam, outside any transaction. Dispatches on the envelope's type, never on the routing key:
	 * a command back from a retry tier arrives through the default exchange, keyed by the queue's name.
	 */
	private Reply decide(MessageEnvelope command) {
		return switch (command.type()) {
			case "AuthorizePayment" -> authorize(command, payload(command, AuthorizePayment.class));
			case "CapturePayment" -> step(command, PaymentStep.CAPTURE, payload(command, CapturePayment.class).orderId());
			case "VoidPayment" -> step(command, PaymentStep.VOID, payload(command, VoidPayment.class).orderId());
			case "RefundPayment" -> step(command, PaymentStep.REFUND, payload(command, RefundPayment.class).orderId());
			default -> throw new MalformedMessageException(command.describe() + " is not a payment command "
					+ "(AuthorizePayment, CapturePayment, VoidPayment, RefundPayment)");
		};
	}

	private Reply authorize(MessageEnvelope command, AuthorizePayment payload) {
		UUID orderId = orderId(command, payload.orderId());
		AuthorizationOutcome outcome = refusingWhatCanNeverSucceed(command,
				() -> this.payments.authorize(orderId, payload.customerId(), payload.amount(), payload.currency(),
						payload.token()));
		return switch (outcome) {
			case AuthorizationOutcome.Authorized authorized ->
				new Reply(orderId, "PaymentAuthorized", new PaymentAuthorized(orderId, authorized.payment().id()));
			case AuthorizationOutcome.Declined declined ->
				new Reply(orderId, "PaymentDeclined", new PaymentDeclined(orderId, declined.reason()));
			case AuthorizationOutcome.ProviderUnavailable unavailable ->
				throw new PaymentProviderUnavailableException(command, unavailable.reason());
		};
	}

	private Reply step(MessageEnvelope command, PaymentStep step, UUID payloadOrderId) {
		UUID orderId = orderId(command, payloadOrderId);
		StepOutcome outcome = refusingWhatCanNeverSucceed(command, () -> switch (step) {
			case CAPTURE -> this.payments.capture(orderId);
			case VOID -> this.payments.voidAuthorization(orderId);
			case REFUND -> this.payments.refund(orderId);
		});
		return switch (outcome) {
			case StepOutcome.Completed completed -> switch (step) {
				case CAPTURE -> new Reply(orderId, "PaymentCaptured", new PaymentCaptured(orderId));
				case VOID -> new Reply(orderId, "PaymentVoided", new PaymentVoided(orderId));
				case REFUND -> new Reply(orderId, "PaymentRefunded", new PaymentRefunded(orderId));
			};
			case StepOutcome.Refused refused -> new Reply(orderId, "PaymentRefused", new PaymentRefused(orderId,
					step.operation(), (refused.status() != null) ? refused.status().name() : null, refused.detail()));
			case StepOutcome.ProviderUnavailable unavailable ->
				throw new PaymentProviderUnavailableException(command, unavailable.reason());
		};
	}

	/** Step 2: remember the message and send its reply, in one transaction; a duplicate sends nothing. */
	private void replyOnce(MessageEnvelope command, Reply reply) {
		this.transaction.executeWithoutResult((status) -> {
			if (!this.inbox.firstDelivery(CONSUMER, command)) {
				log.debug("{} of order {} was answered before; no second {}", command.describe(), reply.orderId(),
						reply.type());
				return;
			}
			this.outbox.enqueue(OutgoingMessage.rabbit(PaymentMessagingConfiguration.REPLIES_EXCHANGE,
					PaymentMessagingConfiguration.REPLIES_ROUTING_KEY, MessageEnvelope.create(reply.type(),
							PaymentMessages.VERSION, PaymentMessages.SOURCE, reply.orderId().toString(), reply.payload())));
			log.debug("{} of order {} answered with {}", command.describe(), reply.orderId(), reply.type());
		});
	}

	private static <T> T payload(MessageEnvelope command, Class<T> type) {
		if (command.version() != PaymentMessages.VERSION) {
			throw new MalformedMessageException(command.describe() + ": version " + command.version()
					+ " is not one payment-service reads (" + PaymentMessages.VERSION + ")");
		}
		return command.payloadAs(type);
	}

	/** The payload's order id, which must be the envelope's correlation id: the reply is correlated by it. */
	private static UUID orderId(MessageEnvelope command, UUID orderId) {
		if (orderId == null) {
			throw new MalformedMessageException(command.describe() + " has no orderId");
		}
		if (!orderId.toString().equalsIgnoreCase(command.correlationId())) {
			throw new MalformedMessageException(command.describe() + " is about order " + orderId
					+ " but its correlationId is '" + command.correlationId() + "'");
		}
		return orderId;
	}

	/** Requests the seam refuses for good are malformed commands: dead-lettered at once, never retried. */
	private static <T> T refusingWhatCanNeverSucceed(MessageEnvelope command, Supplier<T> seamCall) {
		try {
			return seamCall.get();
		}
		catch (InvalidPaymentRequestException | ConflictingPaymentRequestException ex) {
			throw new MalformedMessageException(command.describe() + " of order " + command.correlationId()
					+ " can never succeed: " + ex.getClass().getSimpleName() + ": " + ex.getMessage(), ex);
		}
	}

	/** A reply: its type and payload, for the order. */
	private record Reply(UUID orderId, String type, Object payload) {
	}

}

package com.example.shop.payment.messaging;

import java.util.UUID;
import java.util.function.Supplier;

import com.google.protobuf.Message;

import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

import com.example.shop.messaging.consumer.MessageConsumer;
import com.example.shop.messaging.consumer.MessageConsumers;
import com.example.shop.messaging.envelope.MalformedMessageException;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.PayloadFields;
import com.example.shop.messaging.inbox.Inbox;
import com.example.shop.messaging.outbox.Destination;
import com.example.shop.messaging.outbox.Outbox;
import com.example.shop.payment.AuthorizationOutcome;
import com.example.shop.payment.ConflictingPaymentRequestException;
import com.example.shop.payment.InvalidPaymentRequestException;
import com.example.shop.payment.PaymentStep;
import com.example.shop.payment.Payments;
import com.example.shop.payment.StepOutcome;
import com.example.shop.proto.payment.messages.v1.AuthorizePayment;
import com.example.shop.proto.payment.messages.v1.CapturePayment;
import com.example.shop.proto.payment.messages.v1.PaymentAuthorized;
import com.example.shop.proto.payment.messages.v1.PaymentCaptured;
import com.example.shop.proto.payment.messages.v1.PaymentDeclined;
import com.example.shop.proto.payment.messages.v1.PaymentRefunded;
import com.example.shop.proto.payment.messages.v1.PaymentRefused;
import com.example.shop.proto.payment.messages.v1.PaymentVoided;
import com.example.shop.proto.payment.messages.v1.RefundPayment;
import com.example.shop.proto.payment.messages.v1.VoidPayment;

/**
 * The saga's payment commands (proto/'s {@code payment_commands.proto}) from the quorum queue
 * {@code payment.commands}, each answered with one reply to the exchange {@code payment.replies}, routing key
 * {@code order-service}, correlation id = order id: one row per command in a libs/messaging
 * {@link MessageConsumer}, each an {@code answerBeforeTransaction} row.
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
 * <li>In one transaction (the consumer's): {@link Inbox#firstDelivery} for the message id and, only the first
 * time, the reply into the {@link Outbox}. They commit together, so a message is either answered and remembered, or
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

	/** The inbox's name for this processing step. */
	static final String CONSUMER = "payment-service.payment-commands";

	private final Payments payments;

	private final MessageConsumer consumer;

	PaymentCommandsListener(Payments payments, MessageConsumers consumers) {
		this.payments = payments;
		// Dispatched on the envelope's type, never on the routing key: a command back from a retry tier arrives
		// through the queue's redelivery exchange, keyed by the queue's name.
		this.consumer = consumers.named(CONSUMER)
			.repliesTo(Destination.rabbit(PaymentMessagingConfiguration.REPLIES_EXCHANGE,
					PaymentMessagingConfiguration.REPLIES_ROUTING_KEY))
			.answerBeforeTransaction(AuthorizePayment.class, this::authorize)
			.answerBeforeTransaction(CapturePayment.class,
					(command, envelope) -> step(envelope, PaymentStep.CAPTURE, command.getOrderId()))
			.answerBeforeTransaction(VoidPayment.class,
					(command, envelope) -> step(envelope, PaymentStep.VOID, command.getOrderId()))
			.answerBeforeTransaction(RefundPayment.class,
					(command, envelope) -> step(envelope, PaymentStep.REFUND, command.getOrderId()))
			.build();
	}

	@RabbitListener(id = "payment-commands", queues = PaymentMessagingConfiguration.COMMANDS_QUEUE)
	void on(org.springframework.amqp.core.Message message) {
		this.consumer.accept(message.getBody());
	}

	private Message authorize(AuthorizePayment command, MessageEnvelope envelope) {
		UUID orderId = PayloadFields.uuid(command.getOrderId(), "orderId");
		UUID customerId = PayloadFields.optionalUuid(command.getCustomerId(), "customerId");
		AuthorizationOutcome outcome = refusingWhatCanNeverSucceed(envelope,
				() -> this.payments.authorize(orderId, customerId, PayloadFields.decimal(command.getAmount(), "amount"),
						command.getCurrency(), command.getToken()));
		return switch (outcome) {
			case AuthorizationOutcome.Authorized authorized -> PaymentAuthorized.newBuilder()
				.setOrderId(command.getOrderId())
				.setPaymentId(authorized.payment().id().toString())
				.build();
			case AuthorizationOutcome.Declined declined ->
				PaymentDeclined.newBuilder().setOrderId(command.getOrderId()).setReason(declined.reason()).build();
			case AuthorizationOutcome.ProviderUnavailable unavailable ->
				throw new PaymentProviderUnavailableException(envelope, unavailable.reason());
		};
	}

	private Message step(MessageEnvelope envelope, PaymentStep step, String order) {
		UUID orderId = PayloadFields.uuid(order, "orderId");
		StepOutcome outcome = refusingWhatCanNeverSucceed(envelope, () -> switch (step) {
			case CAPTURE -> this.payments.capture(orderId);
			case VOID -> this.payments.voidAuthorization(orderId);
			case REFUND -> this.payments.refund(orderId);
		});
		return switch (outcome) {
			case StepOutcome.Completed completed -> switch (step) {
				case CAPTURE -> PaymentCaptured.newBuilder().setOrderId(order).build();
				case VOID -> PaymentVoided.newBuilder().setOrderId(order).build();
				case REFUND -> PaymentRefunded.newBuilder().setOrderId(order).build();
			};
			case StepOutcome.Refused refused -> PaymentRefused.newBuilder()
				.setOrderId(order)
				.setOperation(step.operation())
				.setStatus((refused.status() != null) ? refused.status().name() : "")
				.setDetail((refused.detail() != null) ? refused.detail() : "")
				.build();
			case StepOutcome.ProviderUnavailable unavailable ->
				throw new PaymentProviderUnavailableException(envelope, unavailable.reason());
		};
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

}

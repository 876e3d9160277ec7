package com.example.shop.order.saga;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.google.protobuf.Message;
import org.jspecify.annotations.Nullable;

import com.example.shop.messaging.envelope.MalformedMessageException;
import com.example.shop.order.Order;
import com.example.shop.order.Order.PaymentOperation;
import com.example.shop.order.OrderMessage;
import com.example.shop.order.OrderMessage.AuthorizePayment;
import com.example.shop.order.OrderMessage.CapturePayment;
import com.example.shop.order.OrderMessage.ConfirmReservation;
import com.example.shop.order.OrderMessage.RefundPayment;
import com.example.shop.order.OrderMessage.ReleaseReservation;
import com.example.shop.order.OrderMessage.ReserveStock;
import com.example.shop.order.OrderMessage.ReturnStock;
import com.example.shop.order.OrderMessage.VoidPayment;
import com.example.shop.order.OrderStatus;
import com.example.shop.order.SagaTimeouts;
import com.example.shop.proto.inventory.messages.v1.ReservationConfirmed;
import com.example.shop.proto.inventory.messages.v1.ReservationRefused;
import com.example.shop.proto.inventory.messages.v1.ReservationReleased;
import com.example.shop.proto.inventory.messages.v1.StockRejected;
import com.example.shop.proto.inventory.messages.v1.StockReserved;
import com.example.shop.proto.inventory.messages.v1.StockReturned;
import com.example.shop.proto.payment.messages.v1.PaymentAuthorized;
import com.example.shop.proto.payment.messages.v1.PaymentCaptured;
import com.example.shop.proto.payment.messages.v1.PaymentDeclined;
import com.example.shop.proto.payment.messages.v1.PaymentRefunded;
import com.example.shop.proto.payment.messages.v1.PaymentRefused;
import com.example.shop.proto.payment.messages.v1.PaymentVoided;

import static com.example.shop.order.OrderStatus.AWAITING_PAYMENT;
import static com.example.shop.order.OrderStatus.CANCELLED;
import static com.example.shop.order.OrderStatus.COMPENSATING;
import static com.example.shop.order.OrderStatus.CONFIRMED;
import static com.example.shop.order.OrderStatus.CONFIRMING;
import static com.example.shop.order.OrderStatus.FAILED;
import static com.example.shop.order.OrderStatus.PENDING;
import static com.example.shop.order.OrderStatus.REFUNDING;

/**
 * The order saga as one table (docs/saga.md is generated from it, {@code OrderSagaDocumentTests}): each step
 * with the participants it asks, the commands it sends, the replies it waits for and where each leads, its
 * timeout and its compensation; then how each reply is applied to the order. order-service's reply consumers are
 * built from this table ({@code order/messaging/SagaReplies}), so a reply nobody declared here is dead-lettered, and a reply
 * declared here without a transition does not start.
 * <p>
 * The transitions themselves are {@link Order}'s: a reply in a state that does not wait for it changes nothing
 * there, or sends only what undoes it ("late" below).
 */
public final class OrderSaga {

	/** Who answers. */
	public enum Participant {

		INVENTORY("inventory-service", "Kafka inventory.commands -> inventory.replies"),
		PAYMENT("payment-service", "RabbitMQ payment.commands -> payment.replies");

		private final String service;

		private final String channel;

		Participant(String service, String channel) {
			this.service = service;
			this.channel = channel;
		}

		public String service() {
			return this.service;
		}

		public String channel() {
			return this.channel;
		}

	}

	/** A reply a step waits for, and the status it leads to ({@code outcome} says more where needed). */
	public record Awaited(Class<? extends Message> reply, OrderStatus leadsTo, String outcome) {

		public String name() {
			return reply.getSimpleName();
		}

	}

	/** A request from outside the saga (a customer's cancel) and the status it leads to from this step. */
	public record Request(String name, OrderStatus leadsTo, String outcome) {
	}

	/**
	 * One step: the status an order is in while the step waits.
	 * @param sends the commands sent on entering it
	 * @param timeout how long it waits, null for a status without a step (CONFIRMED)
	 * @param onTimeout what its timeout does, and where that leads in the end ({@code timeoutLeadsTo})
	 * @param compensation the commands that undo what the step asked for, if the saga gives up after it
	 * @param late replies that arrive after the saga gave up on them, and what answers them
	 */
	public record Step(OrderStatus status, String purpose, List<Participant> participants,
			List<Class<? extends OrderMessage>> sends, List<Awaited> awaits, List<Request> requests,
			@Nullable Duration timeout, String onTimeout, @Nullable OrderStatus timeoutLeadsTo,
			List<Class<? extends OrderMessage>> compensation, List<String> late) {
	}

	/** How a reply is applied to its order (in the order's transaction, under its row lock). */
	@FunctionalInterface
	public interface Transition<R extends Message> {

		List<OrderMessage> apply(Order order, R reply, Instant now);

	}

	/** A reply type and its transition. */
	public record ReplyRule<R extends Message>(Class<R> type, Participant from, Transition<R> transition) {
	}

	private final List<Step> steps;

	private final Map<Class<? extends Message>, ReplyRule<?>> replies;

	private OrderSaga(List<Step> steps, List<ReplyRule<?>> replies) {
		this.steps = List.copyOf(steps);
		Map<Class<? extends Message>, ReplyRule<?>> byType = new LinkedHashMap<>();
		replies.forEach((rule) -> {
			if (byType.put(rule.type(), rule) != null) {
				throw new IllegalStateException(rule.type().getSimpleName() + " has two transitions");
			}
		});
		this.replies = byType;
		Set<Class<? extends Message>> awaited = steps.stream()
			.flatMap((step) -> step.awaits().stream())
			.map(Awaited::reply)
			.collect(Collectors.toSet());
		if (!awaited.equals(byType.keySet())) {
			throw new IllegalStateException("the saga awaits " + names(awaited) + " but has transitions for "
					+ names(byType.keySet()) + ": every awaited reply needs exactly one transition");
		}
	}

	/** The saga, with the timeouts of {@code shop.orders.saga.*}. */
	public static OrderSaga of(SagaTimeouts timeouts) {
		List<Step> steps = List.of(
				new Step(PENDING, "hold the stock", List.of(Participant.INVENTORY), List.of(ReserveStock.class),
						List.of(new Awaited(StockReserved.class, AWAITING_PAYMENT, ""),
								new Awaited(StockRejected.class, CANCELLED, "reason OUT_OF_STOCK")),
						List.of(new Request("customer cancel", COMPENSATING, "reason CUSTOMER_REQUEST")),
						timeouts.stockTimeout(), "compensate, reason TIMEOUT", COMPENSATING, List.of(ReleaseReservation.class),
						List.of()),
				new Step(AWAITING_PAYMENT, "authorize the payment", List.of(Participant.PAYMENT),
						List.of(AuthorizePayment.class),
						List.of(new Awaited(PaymentAuthorized.class, CONFIRMING, ""),
								new Awaited(PaymentDeclined.class, COMPENSATING,
										"reason PAYMENT_DECLINED")),
						List.of(new Request("customer cancel", COMPENSATING, "reason CUSTOMER_REQUEST")),
						timeouts.paymentTimeout(), "compensate, reason TIMEOUT", COMPENSATING, List.of(VoidPayment.class),
						List.of()),
				new Step(CONFIRMING, "take the stock and the money", List.of(Participant.INVENTORY, Participant.PAYMENT),
						List.of(ConfirmReservation.class, CapturePayment.class),
						List.of(new Awaited(ReservationConfirmed.class, CONFIRMED, "both arrived"),
								new Awaited(PaymentCaptured.class, CONFIRMED, "both arrived"),
								new Awaited(ReservationRefused.class, FAILED, "refused: an operator's case"),
								new Awaited(PaymentRefused.class, FAILED, "refused: an operator's case")),
						List.of(), timeouts.retryDelay(0), "re-send what is unanswered, with backoff; then FAILED", FAILED,
						List.of(), List.of()),
				new Step(COMPENSATING, "undo what was asked for (VoidPayment once AuthorizePayment was sent)", List.of(Participant.INVENTORY, Participant.PAYMENT),
						List.of(ReleaseReservation.class, VoidPayment.class),
						List.of(new Awaited(ReservationReleased.class, CANCELLED, "both arrived"),
								new Awaited(PaymentVoided.class, CANCELLED, "both arrived"),
								new Awaited(ReservationRefused.class, FAILED, "refused: an operator's case"),
								new Awaited(PaymentRefused.class, FAILED, "refused: an operator's case")),
						List.of(), timeouts.retryDelay(0), "re-send what is unanswered, with backoff; then FAILED", FAILED,
						List.of(), List.of("StockReserved: ReleaseReservation", "PaymentAuthorized: VoidPayment")),
				new Step(CONFIRMED, "done, unless refunded", List.of(), List.of(), List.of(),
						List.of(new Request("customer cancel within the refund window", REFUNDING,
								"within " + timeouts.refundWindow().toDays() + " days of the confirmation")),
						null, "", null, List.of(), List.of()),
				new Step(REFUNDING, "give the stock and the money back", List.of(Participant.INVENTORY, Participant.PAYMENT),
						List.of(ReturnStock.class, RefundPayment.class),
						List.of(new Awaited(StockReturned.class, CANCELLED, "both arrived, reason REFUNDED"),
								new Awaited(PaymentRefunded.class, CANCELLED, "both arrived, reason REFUNDED"),
								new Awaited(ReservationRefused.class, FAILED, "refused: an operator's case"),
								new Awaited(PaymentRefused.class, FAILED, "refused: an operator's case")),
						List.of(), timeouts.retryDelay(0), "re-send what is unanswered, with backoff; then FAILED", FAILED,
						List.of(), List.of()));
		List<ReplyRule<?>> replies = List.of(
				new ReplyRule<>(StockReserved.class, Participant.INVENTORY,
						(order, reply, now) -> order.onStockReserved(now, timeouts)),
				new ReplyRule<>(StockRejected.class, Participant.INVENTORY, (order, reply, now) -> order.onStockRejected(now)),
				new ReplyRule<>(ReservationConfirmed.class, Participant.INVENTORY,
						(order, reply, now) -> order.onReservationConfirmed(now)),
				new ReplyRule<>(ReservationReleased.class, Participant.INVENTORY,
						(order, reply, now) -> order.onReservationReleased(now)),
				new ReplyRule<>(StockReturned.class, Participant.INVENTORY, (order, reply, now) -> order.onStockReturned(now)),
				new ReplyRule<>(ReservationRefused.class, Participant.INVENTORY,
						(order, reply, now) -> order.onReservationRefused(now)),
				new ReplyRule<>(PaymentAuthorized.class, Participant.PAYMENT,
						(order, reply, now) -> order.onPaymentAuthorized(now, timeouts)),
				new ReplyRule<>(PaymentDeclined.class, Participant.PAYMENT,
						(order, reply, now) -> order.onPaymentDeclined(now, timeouts)),
				new ReplyRule<>(PaymentCaptured.class, Participant.PAYMENT, (order, reply, now) -> order.onPaymentCaptured(now)),
				new ReplyRule<>(PaymentVoided.class, Participant.PAYMENT, (order, reply, now) -> order.onPaymentVoided(now)),
				new ReplyRule<>(PaymentRefunded.class, Participant.PAYMENT,
						(order, reply, now) -> order.onPaymentRefunded(now)),
				new ReplyRule<>(PaymentRefused.class, Participant.PAYMENT,
						(order, reply, now) -> order.onPaymentRefused(now, PaymentRefusals.operation(reply))));
		return new OrderSaga(steps, replies);
	}

	public List<Step> steps() {
		return this.steps;
	}

	/** The reply rules of one participant, in the table's order. */
	public List<ReplyRule<?>> repliesFrom(Participant participant) {
		List<ReplyRule<?>> rules = new ArrayList<>();
		this.replies.values().stream().filter((rule) -> rule.from() == participant).forEach(rules::add);
		return rules;
	}

	private static String names(Set<Class<? extends Message>> types) {
		return types.stream().map(Class::getSimpleName).sorted().toList().toString();
	}

	/** PaymentRefused's operation as the order knows it. */
	static final class PaymentRefusals {

		private PaymentRefusals() {
		}

		static PaymentOperation operation(PaymentRefused reply) {
			try {
				return PaymentOperation.valueOf(reply.getOperation().toUpperCase(Locale.ROOT));
			}
			catch (IllegalArgumentException ex) {
				throw new MalformedMessageException(
						"PaymentRefused names no known operation: '" + reply.getOperation() + "'");
			}
		}

	}

}

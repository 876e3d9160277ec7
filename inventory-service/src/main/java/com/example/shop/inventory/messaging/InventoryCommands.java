package com.example.shop.inventory.messaging;

import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import com.google.protobuf.Message;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import com.example.shop.inventory.reservation.ConfirmOutcome;
import com.example.shop.inventory.reservation.Refused;
import com.example.shop.inventory.reservation.ReleaseOutcome;
import com.example.shop.inventory.reservation.ReservationLine;
import com.example.shop.inventory.reservation.ReserveOutcome;
import com.example.shop.inventory.reservation.ReturnOutcome;
import com.example.shop.inventory.reservation.StockReservations;
import com.example.shop.messaging.consumer.MessageConsumer;
import com.example.shop.messaging.consumer.MessageConsumers;
import com.example.shop.messaging.envelope.MalformedMessageException;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.PayloadFields;
import com.example.shop.messaging.outbox.Destination;
import com.example.shop.proto.inventory.messages.v1.ConfirmReservation;
import com.example.shop.proto.inventory.messages.v1.RejectedLine;
import com.example.shop.proto.inventory.messages.v1.ReleaseReservation;
import com.example.shop.proto.inventory.messages.v1.ReservationConfirmed;
import com.example.shop.proto.inventory.messages.v1.ReservationRefused;
import com.example.shop.proto.inventory.messages.v1.ReservationReleased;
import com.example.shop.proto.inventory.messages.v1.ReserveStock;
import com.example.shop.proto.inventory.messages.v1.ReturnStock;
import com.example.shop.proto.inventory.messages.v1.StockRejected;
import com.example.shop.proto.inventory.messages.v1.StockReserved;
import com.example.shop.proto.inventory.messages.v1.StockReturned;

/**
 * Carries out the saga's commands from order-service and answers each on {@code inventory.replies}: one row per
 * command of proto/'s {@code inventory_commands.proto}. libs/messaging's {@link MessageConsumer} does the rest:
 * the inbox record, the reservation and stock changes (with their {@code StockChanged} outbox rows) and the
 * reply's outbox row commit in one transaction, a copy delivered again changes nothing and sends nothing, and
 * what can never be carried out is dead-lettered at once.
 * <p>
 * A command sent again as a new message (order-service re-sends a command it got no answer to) is answered
 * again: the reservation seam is idempotent by order id and answers from its record, so stock changes once and
 * the reply is the same. Lines the seam refuses ({@link IllegalArgumentException}: no lines, a quantity below
 * one, a product twice) make the command malformed.
 */
@Component
class InventoryCommands {

	private static final Logger log = LoggerFactory.getLogger(InventoryCommands.class);

	/** The inbox consumer name of this processing step. */
	static final String CONSUMER = "inventory-service.commands";

	private final StockReservations reservations;

	private final MessageConsumer consumer;

	InventoryCommands(StockReservations reservations, MessageConsumers consumers, InventoryMessagingProperties topics) {
		this.reservations = reservations;
		this.consumer = consumers.named(CONSUMER)
			.repliesTo(Destination.kafka(topics.repliesTopic()))
			.answer(ReserveStock.class, this::reserve)
			.answer(ConfirmReservation.class, this::confirm)
			.answer(ReleaseReservation.class, this::release)
			.answer(ReturnStock.class, this::returnStock)
			.build();
	}

	/** One record of {@code inventory.commands}. */
	void accept(String record) {
		this.consumer.accept(record);
	}

	private Message reserve(ReserveStock command, MessageEnvelope envelope) {
		UUID orderId = orderId(command.getOrderId());
		List<ReservationLine> lines = command.getLinesList()
			.stream()
			.map((line) -> new ReservationLine(PayloadFields.uuid(line.getProductId(), "lines.productId"),
					line.getQuantity()))
			.toList();
		ReserveOutcome outcome = carriedOut(envelope, () -> this.reservations.reserve(orderId, lines));
		return switch (outcome) {
			case ReserveOutcome.Reserved reserved -> StockReserved.newBuilder().setOrderId(command.getOrderId()).build();
			case ReserveOutcome.Rejected rejected -> StockRejected.newBuilder()
				.setOrderId(command.getOrderId())
				.setReason(rejected.reason().name())
				.addAllLines(rejected.lines()
					.stream()
					.map((line) -> RejectedLine.newBuilder()
						.setProductId(line.productId().toString())
						.setRequested(line.requested())
						.setAvailable(line.available())
						.build())
					.toList())
				.build();
		};
	}

	private Message confirm(ConfirmReservation command, MessageEnvelope envelope) {
		UUID orderId = orderId(command.getOrderId());
		return switch (carriedOut(envelope, () -> this.reservations.confirm(orderId))) {
			case ConfirmOutcome.Confirmed confirmed ->
				ReservationConfirmed.newBuilder().setOrderId(command.getOrderId()).build();
			case Refused refused -> refused(refused);
		};
	}

	private Message release(ReleaseReservation command, MessageEnvelope envelope) {
		UUID orderId = orderId(command.getOrderId());
		log.debug("Releasing the reservation of order {}, reason {}", orderId, command.getReason());
		return switch (carriedOut(envelope, () -> this.reservations.release(orderId))) {
			case ReleaseOutcome.Released released -> ReservationReleased.newBuilder().setOrderId(command.getOrderId()).build();
			case Refused refused -> refused(refused);
		};
	}

	private Message returnStock(ReturnStock command, MessageEnvelope envelope) {
		UUID orderId = orderId(command.getOrderId());
		return switch (carriedOut(envelope, () -> this.reservations.returnStock(orderId))) {
			case ReturnOutcome.Returned returned -> StockReturned.newBuilder().setOrderId(command.getOrderId()).build();
			case Refused refused -> refused(refused);
		};
	}

	private static ReservationRefused refused(Refused refused) {
		return ReservationRefused.newBuilder()
			.setOrderId(refused.orderId().toString())
			.setStatus(refused.reason().name())
			.build();
	}

	private static UUID orderId(String orderId) {
		return PayloadFields.uuid(orderId, "orderId");
	}

	private static <T> T carriedOut(MessageEnvelope envelope, Supplier<T> seam) {
		try {
			return seam.get();
		}
		catch (IllegalArgumentException ex) {
			throw new MalformedMessageException(envelope.describe() + " cannot be carried out: " + ex.getMessage(), ex);
		}
	}

}

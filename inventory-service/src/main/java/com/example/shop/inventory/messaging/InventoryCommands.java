package com.example.shop.inventory.messaging;

import java.util.UUID;

import com.example.shop.inventory.messaging.CommandPayloads.ConfirmReservation;
import com.example.shop.inventory.messaging.CommandPayloads.InventoryCommand;
import com.example.shop.inventory.messaging.CommandPayloads.ReleaseReservation;
import com.example.shop.inventory.messaging.CommandPayloads.ReserveStock;
import com.example.shop.inventory.messaging.ReplyPayloads.Reply;
import com.example.shop.inventory.reservation.StockReservations;
import com.example.shop.messaging.envelope.MalformedMessageException;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.inbox.Inbox;
import com.example.shop.messaging.outbox.Outbox;
import com.example.shop.messaging.outbox.OutgoingMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Carries out a saga command from order-service and answers it. The inbox record, the reservation and stock
 * changes (with their {@code StockChanged} outbox rows) and the reply's outbox row commit in one transaction:
 * either all of it happened or none of it did, and the reply leaves only once the change is committed.
 * <p>
 * Deliveries of one message (same envelope id: a Kafka redelivery, the producer's outbox publishing again)
 * after the first change nothing and send nothing: the first delivery's reply is committed in the outbox and
 * will be published, so another copy would only be one more duplicate for order-service's inbox. A command
 * sent again as a new message (order-service re-sends a command it got no answer to) is answered again: the
 * reservation seam is idempotent by order id and answers from its record, so stock changes once and the reply
 * is the same.
 * <p>
 * What can never be carried out is a {@link MalformedMessageException}, which the Kafka error handling
 * dead-letters at once: an unknown type or version, a payload that does not fit, an order id that disagrees
 * with the envelope's correlation id, lines the seam refuses ({@link IllegalArgumentException}). Nothing is
 * stored for it (the transaction rolls back, inbox row included).
 */
@Component
class InventoryCommands {

	private static final Logger log = LoggerFactory.getLogger(InventoryCommands.class);

	/** The inbox consumer name of this processing step. */
	static final String CONSUMER = "inventory-service.commands";

	private final Inbox inbox;

	private final Outbox outbox;

	private final StockReservations reservations;

	private final InventoryMessagingProperties topics;

	InventoryCommands(Inbox inbox, Outbox outbox, StockReservations reservations,
			InventoryMessagingProperties topics) {
		this.inbox = inbox;
		this.outbox = outbox;
		this.reservations = reservations;
		this.topics = topics;
	}

	@Transactional
	public void handle(MessageEnvelope message) {
		InventoryCommand command = read(message);
		if (!this.inbox.firstDelivery(CONSUMER, message)) {
			return;
		}
		Reply reply;
		try {
			reply = switch (command) {
				case ReserveStock reserve -> Reply.to(this.reservations.reserve(reserve.orderId(), reserve.reservationLines()));
				case ConfirmReservation confirm -> Reply.to(this.reservations.confirm(confirm.orderId()));
				case ReleaseReservation release -> {
					log.debug("Releasing the reservation of order {}, reason {}", release.orderId(), release.reason());
					yield Reply.to(this.reservations.release(release.orderId()));
				}
			};
		}
		catch (IllegalArgumentException ex) {
			throw new MalformedMessageException(message.describe() + " cannot be carried out: " + ex.getMessage(), ex);
		}
		String orderId = command.orderId().toString();
		this.outbox.enqueue(OutgoingMessage.kafka(this.topics.repliesTopic(), MessageEnvelope.create(reply.type(),
				ReplyPayloads.VERSION, InventoryMessagingProperties.SOURCE, orderId, reply.payload())));
	}

	/** The command in the message, or a {@link MalformedMessageException} naming why there is none. */
	private static InventoryCommand read(MessageEnvelope message) {
		Class<? extends InventoryCommand> type = switch (message.type()) {
			case "ReserveStock" -> ReserveStock.class;
			case "ConfirmReservation" -> ConfirmReservation.class;
			case "ReleaseReservation" -> ReleaseReservation.class;
			default -> throw new MalformedMessageException(message.describe() + " is not an inventory command");
		};
		if (message.version() != CommandPayloads.VERSION) {
			throw new MalformedMessageException(message.describe() + ": version " + message.version()
					+ " is not one this service reads (" + CommandPayloads.VERSION + ")");
		}
		InventoryCommand command = message.payloadAs(type);
		if (command.orderId() == null) {
			throw new MalformedMessageException(message.describe() + " has no orderId");
		}
		// The reply is keyed and correlated by the order id; a message that names two orders has no right answer.
		if (!command.orderId().equals(uuidOrNull(message.correlationId()))) {
			throw new MalformedMessageException(message.describe() + " is about order " + command.orderId()
					+ " but its correlationId is '" + message.correlationId() + "'");
		}
		return command;
	}

	private static UUID uuidOrNull(String value) {
		try {
			return UUID.fromString(value);
		}
		catch (IllegalArgumentException notAUuid) {
			return null;
		}
	}

}

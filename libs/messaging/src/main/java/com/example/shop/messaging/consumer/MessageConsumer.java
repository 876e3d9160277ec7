package com.example.shop.messaging.consumer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import com.google.protobuf.Message;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.transaction.support.TransactionTemplate;

import com.example.shop.messaging.envelope.MalformedMessageException;
import com.example.shop.messaging.envelope.MessageContract;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.MessageEnvelopeCodec;
import com.example.shop.messaging.inbox.Inbox;
import com.example.shop.messaging.outbox.Destination;
import com.example.shop.messaging.outbox.Outbox;

/**
 * One consumer's way of receiving messages, the same on Kafka and RabbitMQ: a table of handlers by message type,
 * and one receiving sequence around them.
 *
 * <pre>
 * MessageConsumer commands = consumers.named("inventory-service.commands")
 *     .repliesTo(Destination.kafka("inventory.replies"))
 *     .answer(ReserveStock.class, (command, envelope) -&gt; replies.to(reservations.reserve(...)))
 *     .answer(ConfirmReservation.class, ...)
 *     .build();
 *
 * &#64;KafkaListener(topics = "inventory.commands")
 * void on(String record) {
 *     commands.accept(record);
 * }
 * </pre>
 *
 * For every message, in this order:
 * <ol>
 * <li>decode the envelope; look its type up in the table; check the version and the payload against the type's
 * contract in proto/, and the payload's correlation field against the envelope ({@link MessageContract#read});
 * anything wrong is a {@link MalformedMessageException}, which the library's Kafka and RabbitMQ error handling
 * dead-letters at once, without blocking the messages behind it;</li>
 * <li>a row made with {@link Builder#answerBeforeTransaction} runs its handler now, outside any transaction (a
 * call to a provider must not hold a database connection); it must be idempotent itself;</li>
 * <li>in one transaction: the inbox record (a duplicate stops here, changing nothing), the handler's effects,
 * and its reply into the outbox, to {@link Builder#repliesTo}. All of it commits, or none of it.</li>
 * </ol>
 * Any other exception rolls the transaction back and is retried by the broker-side error handling.
 */
public final class MessageConsumer {

	private static final Logger log = LoggerFactory.getLogger(MessageConsumer.class);

	private final String name;

	private final String source;

	private final Map<String, Row<?>> rows;

	private final @Nullable Destination replies;

	private final Inbox inbox;

	private final Outbox outbox;

	private final TransactionTemplate transaction;

	private MessageConsumer(Builder builder) {
		this.name = builder.name;
		this.source = builder.source;
		Map<String, Row<?>> rows = new LinkedHashMap<>();
		builder.rows.forEach((type, spec) -> rows.put(type, rowOf(spec)));
		this.rows = Map.copyOf(rows);
		this.replies = builder.replies;
		this.inbox = builder.inbox;
		this.outbox = builder.outbox;
		this.transaction = builder.transaction;
	}

	private <T extends Message> Row<T> rowOf(RowSpec<T> spec) {
		return new Row<>(spec.contract(), spec.kind(), spec.handler());
	}

	/** The inbox's name for this consumer; one message may feed several consumers. */
	public String name() {
		return this.name;
	}

	/** A Kafka record's value. */
	public void accept(@Nullable String body) {
		accept(MessageEnvelopeCodec.decode(body));
	}

	/** A RabbitMQ message's body. */
	public void accept(byte @Nullable [] body) {
		accept(MessageEnvelopeCodec.decode(body));
	}

	public void accept(MessageEnvelope envelope) {
		Row<?> row = this.rows.get(envelope.type());
		if (row == null) {
			throw new MalformedMessageException(envelope.describe() + " is not a message " + this.name + " reads ("
					+ String.join(", ", this.rows.keySet().stream().sorted().toList()) + ")");
		}
		row.receive(envelope);
	}

	private void inTransaction(MessageEnvelope envelope, Supplier<@Nullable Message> effects) {
		this.transaction.executeWithoutResult((status) -> {
			if (!this.inbox.firstDelivery(this.name, envelope)) {
				return;
			}
			Message reply = effects.get();
			if (reply != null) {
				this.outbox.enqueue(Objects.requireNonNull(this.replies).of(envelopeOf(reply, envelope)));
				log.debug("{}: {} answered with {}", this.name, envelope.describe(), reply.getDescriptorForType().getName());
			}
			else {
				log.debug("{}: {} applied", this.name, envelope.describe());
			}
		});
	}

	/** The reply, correlated by its own field, or else by the message it answers. */
	private <R extends Message> MessageEnvelope envelopeOf(R reply, MessageEnvelope answered) {
		MessageContract<R> contract = MessageContract.of(reply);
		return contract.correlated() ? MessageEnvelope.of(this.source, reply)
				: MessageEnvelope.of(this.source, answered.correlationId(), reply);
	}

	/** A handler whose effects commit with the inbox record. */
	@FunctionalInterface
	public interface Effect<T extends Message> {

		void apply(T message, MessageEnvelope envelope);

	}

	/** A handler that answers: its reply (or null for none) goes to the consumer's reply destination. */
	@FunctionalInterface
	public interface Answer<T extends Message> {

		@Nullable Message answer(T message, MessageEnvelope envelope);

	}

	private enum Kind {

		IGNORED, IN_TRANSACTION, BEFORE_TRANSACTION

	}

	private final class Row<T extends Message> {

		private final MessageContract<T> contract;

		private final Kind kind;

		private final @Nullable Answer<T> handler;

		Row(MessageContract<T> contract, Kind kind, @Nullable Answer<T> handler) {
			this.contract = contract;
			this.kind = kind;
			this.handler = handler;
		}

		void receive(MessageEnvelope envelope) {
			try {
				process(envelope);
			}
			catch (MalformedMessageException ex) {
				// A handler's refusal (PayloadFields: "customerId is not a UUID") names the message it is about, for
				// the dead letter's reader.
				if (ex.getMessage() != null && ex.getMessage().contains(envelope.id().toString())) {
					throw ex;
				}
				throw new MalformedMessageException(envelope.describe() + ": " + ex.getMessage(), ex);
			}
		}

		private void process(MessageEnvelope envelope) {
			T message = this.contract.read(envelope);
			switch (this.kind) {
				case IGNORED -> log.debug("{}: {} needs nothing here", MessageConsumer.this.name, envelope.describe());
				case BEFORE_TRANSACTION -> {
					Message reply = Objects.requireNonNull(this.handler).answer(message, envelope);
					inTransaction(envelope, () -> reply);
				}
				case IN_TRANSACTION -> inTransaction(envelope, () -> Objects.requireNonNull(this.handler).answer(message, envelope));
			}
		}

	}

	/** The table of one consumer; see {@link MessageConsumers#named}. */
	public static final class Builder {

		private final String name;

		private final String source;

		private final Inbox inbox;

		private final Outbox outbox;

		private final TransactionTemplate transaction;

		private final Map<String, RowSpec<?>> rows = new LinkedHashMap<>();

		private @Nullable Destination replies;

		private boolean answers;

		Builder(String name, String source, Inbox inbox, Outbox outbox, TransactionTemplate transaction) {
			this.name = name;
			this.source = source;
			this.inbox = inbox;
			this.outbox = outbox;
			this.transaction = transaction;
		}

		/** Where the answers of {@link #answer} and {@link #answerBeforeTransaction} rows go. */
		public Builder repliesTo(Destination destination) {
			this.replies = destination;
			return this;
		}

		/** {@code type}'s effects, in the transaction of the inbox record. */
		public <T extends Message> Builder on(Class<T> type, Effect<T> effect) {
			return add(type, Kind.IN_TRANSACTION, (message, envelope) -> {
				effect.apply(message, envelope);
				return null;
			});
		}

		/** {@code type}'s effects and its reply, in the transaction of the inbox record. */
		public <T extends Message> Builder answer(Class<T> type, Answer<T> answer) {
			this.answers = true;
			return add(type, Kind.IN_TRANSACTION, answer);
		}

		/**
		 * {@code type}'s handler before any transaction, for work that must not hold a database connection (a
		 * call to a payment provider); it must be idempotent by itself, since a redelivery runs it again. Its
		 * reply is then recorded with the inbox record in one transaction, once.
		 */
		public <T extends Message> Builder answerBeforeTransaction(Class<T> type, Answer<T> answer) {
			this.answers = true;
			return add(type, Kind.BEFORE_TRANSACTION, answer);
		}

		/** Types this consumer knows and needs nothing from: checked like the others, then dropped. */
		@SafeVarargs
		public final Builder ignore(Class<? extends Message>... types) {
			for (Class<? extends Message> type : types) {
				add(type, Kind.IGNORED, null);
			}
			return this;
		}

		private <T extends Message> Builder add(Class<T> type, Kind kind, @Nullable Answer<T> handler) {
			MessageContract<T> contract = MessageContract.of(type);
			if (this.rows.containsKey(contract.type())) {
				throw new IllegalStateException(this.name + " has two rows for " + contract.type());
			}
			this.rows.put(contract.type(), new RowSpec<>(contract, kind, handler));
			return this;
		}

		public MessageConsumer build() {
			if (this.answers && this.replies == null) {
				throw new IllegalStateException(this.name + " answers messages but has no repliesTo destination");
			}
			if (this.rows.isEmpty()) {
				throw new IllegalStateException(this.name + " has no rows");
			}
			return new MessageConsumer(this);
		}

	}

	private record RowSpec<T extends Message>(MessageContract<T> contract, Kind kind, @Nullable Answer<T> handler) {
	}

}

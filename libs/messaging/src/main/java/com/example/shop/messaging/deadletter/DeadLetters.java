package com.example.shop.messaging.deadletter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.transaction.support.TransactionTemplate;

import com.example.shop.messaging.envelope.EnvelopeHeaders;
import com.example.shop.messaging.outbox.Channel;
import com.example.shop.messaging.outbox.Outbox;
import com.example.shop.messaging.outbox.RawOutgoingMessage;
import com.example.shop.messaging.rabbit.RabbitQueueTopology;

/**
 * What operators do with this service's dead letters: list them, replay one, discard one.
 * <p>
 * A replay sends the original message back to where it failed, through the outbox in the same transaction
 * that marks the row {@code REPLAYED}: it is never lost (the outbox publishes it until the broker has it) and
 * never recorded as replayed without being sent. It is the original: the same body, the same
 * {@code message-id} and identity headers, without the failure and retry headers, so it gets its full
 * retries again. A consumer whose inbox already applied that message id drops it.
 */
public class DeadLetters {

	private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

	private final DeadLetterRepository repository;

	private final Outbox outbox;

	private final TransactionTemplate transactions;

	public DeadLetters(DeadLetterRepository repository, Outbox outbox, TransactionTemplate transactions) {
		this.repository = repository;
		this.outbox = outbox;
		this.transactions = transactions;
	}

	/** Newest first; {@code status} null: every status; {@code source} null: every source. */
	public List<DeadLetter> list(@Nullable DeadLetterStatus status, @Nullable String source, int limit) {
		return this.repository.list(status, source, limit);
	}

	public Optional<DeadLetter> find(UUID id) {
		return this.repository.find(id);
	}

	/** What a replay request came to. */
	public enum ReplayOutcome {

		/** Handed to the outbox and marked REPLAYED, in one transaction. */
		REPLAYED,
		/** No dead letter with that id. */
		NOT_FOUND,
		/** It was discarded; a discarded dead letter is not replayed. */
		DISCARDED

	}

	public ReplayOutcome replay(UUID id) {
		ReplayOutcome outcome = this.transactions.execute((status) -> {
			Optional<DeadLetter> found = this.repository.lock(id);
			if (found.isEmpty()) {
				return ReplayOutcome.NOT_FOUND;
			}
			DeadLetter letter = found.get();
			if (letter.status() == DeadLetterStatus.DISCARDED) {
				return ReplayOutcome.DISCARDED;
			}
			this.outbox.enqueue(original(letter));
			this.repository.markReplayed(id);
			return ReplayOutcome.REPLAYED;
		});
		if (outcome == ReplayOutcome.REPLAYED) {
			log.info("Dead letter {} replayed", id);
		}
		return outcome;
	}

	/** @return false when there is no such dead letter */
	public boolean discard(UUID id) {
		Boolean discarded = this.transactions.execute((status) -> this.repository.markDiscarded(id));
		if (Boolean.TRUE.equals(discarded)) {
			log.info("Dead letter {} discarded", id);
		}
		return Boolean.TRUE.equals(discarded);
	}

	/**
	 * The original message: Kafka to the original topic with the original key; RabbitMQ to the original queue
	 * through that queue's {@code Q.redelivery} exchange (routing key = queue), so it does not fan out to the
	 * other queues bound to the exchange it first came through, and the service needs no right to write to the
	 * default exchange.
	 */
	static RawOutgoingMessage original(DeadLetter letter) {
		Map<String, String> headers = new LinkedHashMap<>();
		letter.headers().forEach((name, value) -> {
			if (!failureHeader(letter.broker(), name)) {
				headers.put(name, value);
			}
		});
		String type = (letter.messageType() != null) ? letter.messageType() : "unknown";
		// The outbox keeps one correlation id's messages in order; a dead letter without one is its own unit.
		String correlationId = firstNonNull(letter.correlationId(), letter.recordKey(), letter.id().toString());
		if ("kafka".equals(letter.broker())) {
			return new RawOutgoingMessage(Channel.KAFKA, letter.source(), letter.recordKey(), correlationId, type,
					letter.payload(), headers);
		}
		if (letter.messageId() != null && !headers.containsKey(EnvelopeHeaders.MESSAGE_ID)
				&& !headers.containsKey(RawOutgoingMessage.AMQP_PROPERTY_PREFIX + "messageId")) {
			headers.put(RawOutgoingMessage.AMQP_PROPERTY_PREFIX + "messageId", letter.messageId());
		}
		return new RawOutgoingMessage(Channel.RABBIT, RabbitQueueTopology.redeliveryExchangeOf(letter.source()),
				letter.source(), correlationId, type, letter.payload(), headers);
	}

	/**
	 * Headers the failure added, which a replay leaves off: Spring Kafka's {@code kafka_*} (the
	 * {@code kafka_dlt-*} failure and origin headers among them) and the library's attempts header; on
	 * RabbitMQ every {@code x-*} header (retry count, exception, original queue, dead-letter id, and the
	 * broker's {@code x-death} records). The platform's own headers never start with either.
	 */
	static boolean failureHeader(String broker, String name) {
		if ("kafka".equals(broker)) {
			return name.startsWith("kafka_") || name.equals(DeadLetterHeaders.KAFKA_ATTEMPTS);
		}
		return name.startsWith("x-");
	}

	@SafeVarargs
	private static <T> T firstNonNull(T... values) {
		for (T value : values) {
			if (value != null) {
				return value;
			}
		}
		throw new IllegalArgumentException("all null");
	}

}

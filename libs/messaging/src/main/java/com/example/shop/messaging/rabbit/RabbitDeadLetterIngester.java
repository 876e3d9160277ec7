package com.example.shop.messaging.rabbit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.SmartLifecycle;

import com.example.shop.messaging.MessagingProperties;
import com.example.shop.messaging.deadletter.DeadLetterRepository;
import com.example.shop.messaging.deadletter.IncomingDeadLetter;
import com.example.shop.messaging.envelope.EnvelopeHeaders;
import com.example.shop.messaging.outbox.RawOutgoingMessage;

/**
 * Copies this service's RabbitMQ dead letters into its {@code dead_letter} table: consumes {@code Q.dlq} of
 * every {@link RabbitQueueTopology}, stores each message, then acks it. Replicas compete on the queues, so
 * each dead letter is taken by one of them.
 * <p>
 * A plain container of its own, not one of Boot's: the retry-tier advice must never wrap it (a dead letter
 * that fails to be stored must not be dead-lettered again). When the database is down, the listener thread
 * retries storing with backoff (the message stays unacked, in the queue, meanwhile) instead of rejecting it
 * for an immediate redelivery, which would loop hot and, on a quorum queue, count towards its delivery limit.
 * Only when the container stops during such an outage is the message returned to {@code Q.dlq} unacked.
 * <p>
 * Storing is idempotent on {@code x-dead-letter-id}, which {@link RetryTierRecoverer} puts on every copy it
 * parks; for a message the broker dead-lettered itself (a reject, the delivery limit) on its message id and
 * {@code x-death} count, and without a message id on a hash of the body.
 */
public class RabbitDeadLetterIngester implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(RabbitDeadLetterIngester.class);

	private final ConnectionFactory connectionFactory;

	private final Map<String, RabbitQueueTopology> byDeadLetterQueue;

	private final DeadLetterRepository repository;

	private final MessagingProperties.DeadLetters settings;

	private volatile @Nullable SimpleMessageListenerContainer container;

	private volatile boolean running;

	public RabbitDeadLetterIngester(ConnectionFactory connectionFactory, List<RabbitQueueTopology> topologies,
			DeadLetterRepository repository, MessagingProperties.DeadLetters settings) {
		this.connectionFactory = connectionFactory;
		this.byDeadLetterQueue = topologies.stream()
			.collect(Collectors.toUnmodifiableMap(RabbitQueueTopology::deadLetterQueue, Function.identity(),
					(first, second) -> first));
		this.repository = repository;
		this.settings = settings;
	}

	@Override
	public void start() {
		if (this.byDeadLetterQueue.isEmpty()) {
			return;
		}
		SimpleMessageListenerContainer created = new SimpleMessageListenerContainer(this.connectionFactory);
		created.setQueueNames(this.byDeadLetterQueue.keySet().toArray(String[]::new));
		created.setAcknowledgeMode(AcknowledgeMode.AUTO); // acked after the listener returned: after the commit
		created.setDefaultRequeueRejected(true); // only reached when stopping mid-outage: back to Q.dlq
		created.setPrefetchCount(10);
		created.setMissingQueuesFatal(false);
		created.setMessageListener(this::ingest);
		created.setBeanName("dead-letter-ingestion");
		created.afterPropertiesSet();
		this.running = true;
		created.start();
		this.container = created;
		log.info("Ingesting dead letters from {}", this.byDeadLetterQueue.keySet());
	}

	void ingest(Message message) {
		String deadLetterQueue = message.getMessageProperties().getConsumerQueue();
		RabbitQueueTopology topology = this.byDeadLetterQueue.get(deadLetterQueue);
		IncomingDeadLetter letter = deadLetter(message, topology.queue(), deadLetterQueue);
		long delay = this.settings.retryInitialDelay().toMillis();
		while (true) {
			try {
				this.repository.store(letter);
				return;
			}
			catch (RuntimeException ex) {
				if (!this.running) {
					throw ex; // stopping: rejected with requeue, back to Q.dlq for the next consumer
				}
				log.warn("Dead letter {} of {} not stored, retrying in {} ms: {}", letter.messageId(), letter.source(),
						delay, ex.toString());
				try {
					Thread.sleep(delay);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					throw ex;
				}
				delay = Math.min(delay * 2, this.settings.retryMaxDelay().toMillis());
			}
		}
	}

	static IncomingDeadLetter deadLetter(Message message, String queue, String deadLetterQueue) {
		MessageProperties properties = message.getMessageProperties();
		Map<String, String> headers = new LinkedHashMap<>();
		properties.getHeaders().forEach((name, value) -> headers.put(name, String.valueOf(value)));
		property(headers, "messageId", properties.getMessageId());
		property(headers, "type", properties.getType());
		property(headers, "appId", properties.getAppId());
		property(headers, "contentType", properties.getContentType());
		property(headers, "contentEncoding", properties.getContentEncoding());
		property(headers, "correlationId", properties.getCorrelationId());
		String messageId = (properties.getMessageId() != null) ? properties.getMessageId()
				: headers.get(EnvelopeHeaders.MESSAGE_ID);
		String type = (headers.get(EnvelopeHeaders.MESSAGE_TYPE) != null) ? headers.get(EnvelopeHeaders.MESSAGE_TYPE)
				: properties.getType();
		Map<String, ?> death = firstDeath(properties);
		return new IncomingDeadLetter("rabbit", "rabbit:" + deadLetterQueue + ":" + identity(message, messageId, death),
				queue, null, messageId, type, headers.get(EnvelopeHeaders.CORRELATION_ID), null, error(headers, death),
				attempts(properties, death), failedAt(headers, death), new String(message.getBody(), StandardCharsets.UTF_8),
				headers);
	}

	private static void property(Map<String, String> headers, String name, @Nullable String value) {
		if (value != null) {
			headers.put(RawOutgoingMessage.AMQP_PROPERTY_PREFIX + name, value);
		}
	}

	private static String identity(Message message, @Nullable String messageId, @Nullable Map<String, ?> death) {
		Object deadLetterId = message.getMessageProperties().getHeader(RetryHeaders.DEAD_LETTER_ID);
		if (deadLetterId != null) {
			return deadLetterId.toString();
		}
		String deaths = (death == null) ? "0" : death.get("count") + ":" + death.get("reason");
		if (messageId != null) {
			return "message:" + messageId + ":" + deaths;
		}
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(message.getBody());
			return "body:" + HexFormat.of().formatHex(hash) + ":" + deaths;
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String error(Map<String, String> headers, @Nullable Map<String, ?> death) {
		String type = headers.get(RetryHeaders.EXCEPTION_CLASS);
		if (type != null) {
			String message = headers.get(RetryHeaders.EXCEPTION_MESSAGE);
			return (message == null) ? type : type + ": " + message;
		}
		Object reason = (death == null) ? "unknown" : death.get("reason");
		return "dead-lettered by the broker (" + reason + ")";
	}

	private static int attempts(MessageProperties properties, @Nullable Map<String, ?> death) {
		Object retries = properties.getHeader(RetryHeaders.RETRY_COUNT);
		if (retries instanceof Number number) {
			return number.intValue() + 1;
		}
		return (death != null && death.get("count") instanceof Number count) ? count.intValue() : 1;
	}

	private static Instant failedAt(Map<String, String> headers, @Nullable Map<String, ?> death) {
		String failedAt = headers.get(RetryHeaders.FAILED_AT);
		if (failedAt != null) {
			try {
				return Instant.parse(failedAt);
			}
			catch (DateTimeParseException ex) {
				// fall through
			}
		}
		if (death != null && death.get("time") instanceof Date time) {
			return time.toInstant();
		}
		return Instant.now();
	}

	private static @Nullable Map<String, ?> firstDeath(MessageProperties properties) {
		List<Map<String, ?>> deaths = properties.getXDeathHeader();
		return (deaths == null || deaths.isEmpty()) ? null : deaths.get(0);
	}

	@Override
	public void stop() {
		this.running = false;
		SimpleMessageListenerContainer running = this.container;
		this.container = null;
		if (running != null) {
			running.stop();
		}
	}

	@Override
	public boolean isRunning() {
		return this.container != null;
	}

}

package com.example.shop.messaging.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.support.TopicPartitionOffset;
import org.springframework.util.backoff.ExponentialBackOff;

import com.example.shop.messaging.MessagingProperties;
import com.example.shop.messaging.deadletter.DeadLetterHeaders;
import com.example.shop.messaging.deadletter.DeadLetterRepository;
import com.example.shop.messaging.deadletter.IncomingDeadLetter;
import com.example.shop.messaging.envelope.EnvelopeHeaders;

/**
 * Copies this service's Kafka dead letters into its {@code dead_letter} table.
 * <p>
 * At start it looks at every listener container of the service ({@link KafkaListenerEndpointRegistry}) for
 * the topics they consume and their consumer groups, and consumes {@code <topic>.DLT} of each with one group
 * per service, {@code <spring.application.name>.dead-letters}, so N replicas share the partitions and each
 * dead letter is read by one of them. One DLT serves every consumer group of its topic: only records whose
 * {@code kafka_dlt-original-consumer-group} is one of this service's groups are stored; the rest belong to
 * another service and are skipped.
 * <p>
 * A plain container with its own consumer factory, not one from the service's listener factory, whose
 * error handler would dead-letter: this consumer never does. Whatever it reads is stored (a body that is not
 * JSON, or not UTF-8, is stored as text as well as it goes); a database failure is retried with backoff for
 * as long as it lasts, the partition waiting, and the offset is committed only after the row is. Storing is
 * idempotent on the record's topic, partition and offset, so a redelivery stores nothing new.
 */
public class KafkaDeadLetterIngester implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(KafkaDeadLetterIngester.class);

	/** Spring Kafka writes these origin headers as binary numbers. */
	private static final Set<String> INT_HEADERS = Set.of(KafkaHeaders.DLT_ORIGINAL_PARTITION);

	private static final Set<String> LONG_HEADERS = Set.of(KafkaHeaders.DLT_ORIGINAL_OFFSET,
			KafkaHeaders.DLT_ORIGINAL_TIMESTAMP);

	private static final Pattern LISTENER_WRAPPER = Pattern.compile("^Listener method '.*?' threw exception; ",
			Pattern.DOTALL);

	private final KafkaListenerEndpointRegistry registry;

	private final ConsumerFactory<byte[], byte[]> consumers;

	private final DeadLetterRepository repository;

	private final String groupId;

	private final MessagingProperties.DeadLetters settings;

	private volatile @Nullable ConcurrentMessageListenerContainer<byte[], byte[]> container;

	private volatile Set<String> groups = Set.of();

	public KafkaDeadLetterIngester(KafkaListenerEndpointRegistry registry, ConsumerFactory<byte[], byte[]> consumers,
			DeadLetterRepository repository, String application, MessagingProperties.DeadLetters settings) {
		this.registry = registry;
		this.consumers = consumers;
		this.repository = repository;
		this.groupId = application + ".dead-letters";
		this.settings = settings;
	}

	@Override
	public void start() {
		Set<String> topics = new TreeSet<>();
		Set<String> listenerGroups = new TreeSet<>();
		for (MessageListenerContainer listener : this.registry.getAllListenerContainers()) {
			ContainerProperties properties = listener.getContainerProperties();
			if (properties.getTopics() != null) {
				topics.addAll(Arrays.asList(properties.getTopics()));
			}
			if (properties.getTopicPartitions() != null) {
				Arrays.stream(properties.getTopicPartitions()).map(TopicPartitionOffset::getTopic).forEach(topics::add);
			}
			if (listener.getGroupId() != null) {
				listenerGroups.add(listener.getGroupId());
			}
		}
		topics.removeIf((topic) -> topic.endsWith(KafkaTopics.DEAD_LETTER_SUFFIX));
		if (topics.isEmpty() || listenerGroups.isEmpty()) {
			log.info("No Kafka listeners with a consumer group: no dead-letter topics to ingest");
			return;
		}
		this.groups = Set.copyOf(listenerGroups);
		String[] deadLetterTopics = topics.stream().map(KafkaTopics::deadLetterTopic).toArray(String[]::new);
		ContainerProperties properties = new ContainerProperties(deadLetterTopics);
		properties.setGroupId(this.groupId);
		properties.setClientId(this.groupId);
		// The offset is committed after each stored record: a crash re-reads at most one, stored once anyway.
		properties.setAckMode(ContainerProperties.AckMode.RECORD);
		properties.setMessageListener((MessageListener<byte[], byte[]>) this::ingest);
		ConcurrentMessageListenerContainer<byte[], byte[]> created = new ConcurrentMessageListenerContainer<>(
				this.consumers, properties);
		created.setBeanName("dead-letter-ingestion");
		created.setCommonErrorHandler(retryForever());
		created.start();
		this.container = created;
		log.info("Ingesting dead letters of consumer groups {} from {} (group {})", this.groups,
				Arrays.toString(deadLetterTopics), this.groupId);
	}

	/**
	 * Retries a record whose row could not be written (the database is down) until it is written: no
	 * recoverer is ever reached, nothing is skipped or dead-lettered from here.
	 */
	private DefaultErrorHandler retryForever() {
		ExponentialBackOff backOff = new ExponentialBackOff(this.settings.retryInitialDelay().toMillis(), 2.0);
		backOff.setMaxInterval(this.settings.retryMaxDelay().toMillis());
		backOff.setMaxElapsedTime(Long.MAX_VALUE);
		DefaultErrorHandler handler = new DefaultErrorHandler((record, failure) -> {
			throw new IllegalStateException("dead-letter ingestion never gives up on a record", failure);
		}, backOff);
		// Every failure is retried, including the kinds the default classification gives up on at once.
		handler.setClassifications(Map.of(), true);
		// A database outage is expected to pass: each failed attempt is a warning, not an error.
		handler.setLogLevel(KafkaException.Level.WARN);
		return handler;
	}

	void ingest(ConsumerRecord<byte[], byte[]> record) {
		Map<String, String> headers = headers(record);
		String group = headers.get(KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP);
		if (group == null || !this.groups.contains(group)) {
			return; // another service's (or no consumer's) dead letter on a shared DLT
		}
		String source = Objects.requireNonNullElse(headers.get(KafkaHeaders.DLT_ORIGINAL_TOPIC),
				record.topic().substring(0, record.topic().length() - KafkaTopics.DEAD_LETTER_SUFFIX.length()));
		String key = (record.key() == null) ? null : new String(record.key(), StandardCharsets.UTF_8);
		String payload = (record.value() == null) ? "" : new String(record.value(), StandardCharsets.UTF_8);
		IncomingDeadLetter letter = new IncomingDeadLetter("kafka",
				"kafka:" + record.topic() + ":" + record.partition() + ":" + record.offset(), source, group,
				headers.get(EnvelopeHeaders.MESSAGE_ID), headers.get(EnvelopeHeaders.MESSAGE_TYPE),
				Objects.requireNonNullElse(headers.get(EnvelopeHeaders.CORRELATION_ID), key), key, error(headers),
				attempts(headers), Instant.ofEpochMilli(record.timestamp()), payload, headers);
		try {
			if (this.repository.store(letter)) {
				log.debug("Stored dead letter {} of {}", letter.messageId(), source);
			}
		}
		catch (RuntimeException ex) {
			// The error handler seeks back and retries with backoff; the offset stays uncommitted meanwhile.
			log.warn("Dead letter {} of {} not stored, retrying with backoff: {}", letter.messageId(), source, ex.toString());
			throw ex;
		}
	}

	private static String error(Map<String, String> headers) {
		String type = headers.get(KafkaHeaders.DLT_EXCEPTION_CAUSE_FQCN);
		if (type == null) {
			type = headers.getOrDefault(KafkaHeaders.DLT_EXCEPTION_FQCN, "unknown failure");
		}
		String message = headers.get(KafkaHeaders.DLT_EXCEPTION_MESSAGE);
		if (message == null) {
			return type;
		}
		// Spring Kafka's wrapper names the listener method before the cause's message; operators need the cause.
		return type + ": " + LISTENER_WRAPPER.matcher(message).replaceFirst("");
	}

	private static int attempts(Map<String, String> headers) {
		try {
			return Integer.parseInt(headers.getOrDefault(DeadLetterHeaders.KAFKA_ATTEMPTS, "1"));
		}
		catch (NumberFormatException ex) {
			return 1;
		}
	}

	/** Every header as text: UTF-8, except Spring Kafka's binary numbers. The stack trace is left out. */
	private static Map<String, String> headers(ConsumerRecord<byte[], byte[]> record) {
		Map<String, String> headers = new LinkedHashMap<>();
		for (Header header : record.headers()) {
			byte[] value = (header.value() == null) ? new byte[0] : header.value();
			if (header.key().equals(KafkaHeaders.DLT_EXCEPTION_STACKTRACE)) {
				continue; // long, and the exception class and message say what an operator needs
			}
			if (INT_HEADERS.contains(header.key()) && value.length == Integer.BYTES) {
				headers.put(header.key(), Integer.toString(ByteBuffer.wrap(value).getInt()));
			}
			else if (LONG_HEADERS.contains(header.key()) && value.length == Long.BYTES) {
				headers.put(header.key(), Long.toString(ByteBuffer.wrap(value).getLong()));
			}
			else {
				headers.put(header.key(), new String(value, StandardCharsets.UTF_8));
			}
		}
		return headers;
	}

	@Override
	public void stop() {
		ConcurrentMessageListenerContainer<byte[], byte[]> running = this.container;
		this.container = null;
		if (running != null) {
			running.stop();
		}
	}

	@Override
	public boolean isRunning() {
		return this.container != null;
	}

	/** After the service's own listener containers are registered and started. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE;
	}

}

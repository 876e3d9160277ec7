package com.example.shop.messaging.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.ProducerListener;

import com.example.shop.messaging.envelope.EnvelopeHeaders;
import com.example.shop.messaging.outbox.Channel;
import com.example.shop.messaging.outbox.OutboxPublisher;
import com.example.shop.messaging.outbox.PendingMessage;
import com.example.shop.messaging.outbox.PublishFailedException;

/**
 * Publishes outbox rows to Kafka: idempotent producer, {@code acks=all}, key = the order id, the envelope
 * JSON as value and its identity as record headers; the future completes once the broker acknowledged the
 * record (the producer's send callback). One producer for the relay, shared by every send.
 * <p>
 * The producer gives up on a record after the publish timeout (delivery, request and metadata waits are all
 * bounded by it), so a failed future means Kafka does not have the record and the relay may retry it.
 */
public class KafkaOutboxPublisher implements OutboxPublisher, DisposableBean {

	/**
	 * Kafka 4 lingers 5 ms by default. The relay sends a wave of records at once and awaits them all, so a
	 * linger only delays every wave: OutboxRelayBenchmark drained fewer messages a second with 5 ms than with
	 * none, and compression ({@code lz4}) made no difference it could measure on loopback. A service may still
	 * set either ({@code spring.kafka.producer.properties.linger.ms}, {@code spring.kafka.producer.compression-type}),
	 * say over a slow network, where fewer, larger requests may pay.
	 */
	static final int DEFAULT_LINGER_MILLIS = 0;

	private final DefaultKafkaProducerFactory<String, String> producers;

	private final KafkaTemplate<String, String> template;

	public KafkaOutboxPublisher(Map<String, Object> reliableProducerProperties, Duration publishTimeout) {
		Map<String, Object> properties = new HashMap<>(reliableProducerProperties);
		int timeout = (int) publishTimeout.toMillis();
		properties.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, DEFAULT_LINGER_MILLIS);
		int linger = Integer.parseInt(properties.get(ProducerConfig.LINGER_MS_CONFIG).toString());
		properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
		// Kafka requires delivery >= linger + request timeout.
		properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout + linger);
		// Waiting for metadata (broker unreachable, topic missing) is bounded by the same timeout.
		properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
		this.producers = new DefaultKafkaProducerFactory<>(properties, new StringSerializer(), new StringSerializer());
		this.template = new KafkaTemplate<>(this.producers);
		// The relay logs a failure once, with its outcome (retry in N ms); Spring's default listener would add
		// an ERROR with the payload for the same event.
		this.template.setProducerListener(new ProducerListener<>() {
		});
	}

	@Override
	public Channel channel() {
		return Channel.KAFKA;
	}

	@Override
	public CompletableFuture<Void> send(PendingMessage message) {
		CompletableFuture<Void> acknowledged = new CompletableFuture<>();
		try {
			ProducerRecord<String, String> record = new ProducerRecord<>(message.destination(), null, message.key(),
					message.envelope(), headers(message));
			// Completed by the producer's I/O thread: acks from all in-sync replicas, or its verdict within the
			// delivery timeout (the publish timeout).
			this.template.send(record).whenComplete((result, failure) -> {
				if (failure == null) {
					acknowledged.complete(null);
				}
				else {
					acknowledged.completeExceptionally(notTaken(failure));
				}
			});
		}
		catch (RuntimeException ex) {
			// send() itself fails fast for some causes, for example no metadata for the topic in time.
			acknowledged.completeExceptionally(notTaken(ex));
		}
		return acknowledged;
	}

	private static PublishFailedException notTaken(Throwable failure) {
		Throwable cause = failure;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
			cause = cause.getCause();
		}
		return new PublishFailedException("Kafka did not take it: " + rootMessage(cause), retriable(cause), cause);
	}

	private static List<Header> headers(PendingMessage message) {
		List<Header> headers = new ArrayList<>();
		// A raw row (a dead-letter replay) carries the original headers; an envelope row derives them.
		EnvelopeHeaders.forPublishing(message.raw() ? message.headers() : EnvelopeHeaders.of(message.decodedEnvelope()))
			.forEach((name, value) -> headers.add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8))));
		return headers;
	}

	/** Timeouts, lost connections, leader changes: the broker side, not this record. */
	private static boolean retriable(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof RetriableException || cause instanceof TimeoutException) {
				return true;
			}
		}
		return false;
	}

	private static String rootMessage(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getClass().getSimpleName() + ": " + root.getMessage();
	}

	@Override
	public void destroy() {
		this.producers.destroy();
	}

}

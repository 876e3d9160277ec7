package com.example.shop.messaging.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
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
 * JSON as value and its identity as record headers; returns once the broker acknowledged the record.
 * <p>
 * The producer gives up on a record after the publish timeout (delivery, request and metadata waits are all
 * bounded by it), so a failed future means Kafka does not have the record and the relay may retry it.
 */
public class KafkaOutboxPublisher implements OutboxPublisher, DisposableBean {

	/** Past the producer's own delivery timeout, so its verdict arrives before we stop waiting. */
	private static final long WAIT_GRACE_MILLIS = 2_000;

	private final DefaultKafkaProducerFactory<String, String> producers;

	private final KafkaTemplate<String, String> template;

	private final long timeoutMillis;

	public KafkaOutboxPublisher(Map<String, Object> reliableProducerProperties, Duration publishTimeout) {
		Map<String, Object> properties = new HashMap<>(reliableProducerProperties);
		int timeout = (int) publishTimeout.toMillis();
		// The relay sends one record at a time and waits, so lingering only adds latency.
		properties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
		properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
		properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
		// Waiting for metadata (broker unreachable, topic missing) is bounded by the same timeout.
		properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
		this.producers = new DefaultKafkaProducerFactory<>(properties, new StringSerializer(), new StringSerializer());
		this.template = new KafkaTemplate<>(this.producers);
		// The relay logs a failure once, with its outcome (retry in N ms); Spring's default listener would add
		// an ERROR with the payload for the same event.
		this.template.setProducerListener(new ProducerListener<>() {
		});
		this.timeoutMillis = timeout;
	}

	@Override
	public Channel channel() {
		return Channel.KAFKA;
	}

	@Override
	public void publish(PendingMessage message) throws PublishFailedException {
		ProducerRecord<String, String> record = new ProducerRecord<>(message.destination(), null, message.key(),
				message.envelope(), headers(message));
		try {
			this.template.send(record).get(this.timeoutMillis + WAIT_GRACE_MILLIS, TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new PublishFailedException("Kafka did not take it: " + rootMessage(cause), retriable(cause), cause);
		}
		catch (TimeoutException ex) {
			throw new PublishFailedException("Kafka did not answer within " + this.timeoutMillis + " ms", true, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new PublishFailedException("interrupted while waiting for Kafka", true, ex);
		}
		catch (RuntimeException ex) {
			// send() itself fails fast for some causes, for example no metadata for the topic in time.
			throw new PublishFailedException("Kafka did not take it: " + rootMessage(ex), retriable(ex), ex);
		}
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

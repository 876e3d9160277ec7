package com.example.shop.messaging.kafka;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.convert.ConversionException;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.invocation.MethodArgumentResolutionException;

import com.example.shop.messaging.deadletter.DeadLetterHeaders;
import com.example.shop.messaging.deadletter.DeadLetterLog;
import com.example.shop.messaging.envelope.EnvelopeHeaders;
import com.example.shop.messaging.envelope.MalformedMessageException;

/**
 * Writes failed records to {@code <topic>.DLT} with Spring Kafka's {@link DeadLetterPublishingRecoverer}:
 * the original key, value and headers, plus {@code kafka_dlt-exception-fqcn/-message/-stacktrace} and
 * {@code kafka_dlt-original-topic/-partition/-offset/-consumer-group}, and {@value #ATTEMPTS_HEADER} (how
 * many times the listener was given the record). Every dead letter written is logged once at WARN with the
 * record's trace id ({@link DeadLetterLog}).
 * <p>
 * The value is the original String, or the raw bytes when the record could not even be deserialized, hence
 * a serializer by type. The partition is left to the key (partition -1), so a dead-letter topic need not
 * have as many partitions as its topic. A dead letter that cannot be written fails the recovery, and the
 * record is retried rather than skipped.
 */
public class KafkaDeadLetterPublisher implements DisposableBean {

	/** Deliveries of the record to the listener before it was dead-lettered: 1, or 1 + the retries. */
	public static final String ATTEMPTS_HEADER = DeadLetterHeaders.KAFKA_ATTEMPTS;

	/**
	 * What the error handler does not retry (Spring Kafka's defaults plus malformed envelopes), to tell how
	 * many attempts a dead letter had.
	 */
	private static final List<Class<? extends Throwable>> NOT_RETRIED = List.of(MalformedMessageException.class,
			DeserializationException.class, MessageConversionException.class, ConversionException.class,
			MethodArgumentResolutionException.class, NoSuchMethodException.class, ClassCastException.class);

	private final DefaultKafkaProducerFactory<Object, Object> producers;

	private final DeadLetterPublishingRecoverer recoverer;

	/** @param maxRetries the error handler's retries, so the attempts of a retried record are 1 + this */
	public KafkaDeadLetterPublisher(Map<String, Object> reliableProducerProperties, int maxRetries) {
		this.producers = new DefaultKafkaProducerFactory<>(new HashMap<>(reliableProducerProperties), byType(),
				byType());
		this.recoverer = new LoggingRecoverer(new KafkaTemplate<>(this.producers));
		this.recoverer.setHeadersFunction((record, failure) -> attempts(failure, maxRetries));
	}

	public DeadLetterPublishingRecoverer recoverer() {
		return this.recoverer;
	}

	private static Headers attempts(Exception failure, int maxRetries) {
		int attempts = retried(failure) ? maxRetries + 1 : 1;
		return new RecordHeaders().add(ATTEMPTS_HEADER, Integer.toString(attempts).getBytes(StandardCharsets.UTF_8));
	}

	private static boolean retried(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			for (Class<? extends Throwable> type : NOT_RETRIED) {
				if (type.isInstance(cause)) {
					return false;
				}
			}
		}
		return true;
	}

	private static DelegatingByTypeSerializer byType() {
		Map<Class<?>, Serializer<?>> serializers = new HashMap<>();
		serializers.put(String.class, new StringSerializer());
		serializers.put(byte[].class, new ByteArraySerializer());
		return new DelegatingByTypeSerializer(serializers);
	}

	@Override
	public void destroy() {
		this.producers.destroy();
	}

	/** Logs each dead letter once it is written (a failed write throws and the record is retried instead). */
	private static final class LoggingRecoverer extends DeadLetterPublishingRecoverer {

		LoggingRecoverer(KafkaTemplate<Object, Object> template) {
			super(template, (record, failure) -> new TopicPartition(KafkaTopics.deadLetterTopic(record.topic()), -1));
		}

		@Override
		public void accept(ConsumerRecord<?, ?> record, @Nullable Consumer<?, ?> consumer, Exception failure) {
			super.accept(record, consumer, failure);
			Throwable cause = failure;
			while (cause instanceof ListenerExecutionFailedException && cause.getCause() != null) {
				cause = cause.getCause();
			}
			DeadLetterLog.deadLettered(header(record, EnvelopeHeaders.TRACEPARENT),
					header(record, EnvelopeHeaders.MESSAGE_ID), header(record, EnvelopeHeaders.MESSAGE_TYPE),
					record.topic(),
					KafkaTopics.deadLetterTopic(record.topic()), cause.getClass().getName() + ": " + cause.getMessage());
		}

		private static @Nullable String header(ConsumerRecord<?, ?> record, String name) {
			Header header = record.headers().lastHeader(name);
			return (header == null) ? null : new String(header.value(), StandardCharsets.UTF_8);
		}

	}

}

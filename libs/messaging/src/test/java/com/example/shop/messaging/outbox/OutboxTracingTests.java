package com.example.shop.messaging.outbox;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.transaction.support.TransactionTemplate;

import com.example.shop.messaging.TestMessages;
import com.example.shop.messaging.envelope.EnvelopeHeaders;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.MessageEnvelopeCodec;
import com.example.shop.messaging.kafka.KafkaTopics;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One trace from the request that enqueued a message to the consumer that handled it, although the relay
 * publishes later on its own thread: request span -> the relay's publish span (PRODUCER, child of the
 * envelope's traceparent) -> the listener's span (child of the publish span, through the W3C header and
 * Spring Kafka's listener observation, which libs/messaging switches on). With Brave as Boot configures it,
 * real PostgreSQL and a real Kafka broker.
 */
@SpringBootTest(classes = OutboxTracingTests.App.class, properties = "management.tracing.sampling.probability=1.0")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA })
class OutboxTracingTests {

	@Autowired
	Outbox outbox;

	@Autowired
	TransactionTemplate transaction;

	@Autowired
	Tracer tracer;

	@Autowired
	Listener listener;

	@Autowired
	FinishedSpans finishedSpans;

	@Value("traced-${test.namespace}")
	String topic;

	@Test
	void theConsumersSpanIsAChildOfThePublishSpanWhichIsAChildOfTheSpanThatMadeTheMessage() {
		Span request = this.tracer.nextSpan().name("place-order").start();
		MessageEnvelope envelope;
		try (Tracer.SpanInScope scope = this.tracer.withSpan(request)) {
			envelope = TestMessages.envelope("ok");
			this.transaction.executeWithoutResult((status) -> this.outbox.enqueue(OutgoingMessage.kafka(this.topic, envelope)));
		}
		finally {
			request.end();
		}
		String messageId = envelope.id().toString();

		Consumed consumed = await().atMost(Duration.ofSeconds(20)).until(() -> this.listener.consumed.get(messageId),
				Objects::nonNull);
		MutableSpan publish = await().atMost(Duration.ofSeconds(10))
			.until(() -> this.finishedSpans.withTag("messaging.message.id", messageId), Objects::nonNull);

		assertThat(publish.kind()).isEqualTo(brave.Span.Kind.PRODUCER);
		assertThat(publish.name()).isEqualTo(this.topic + " publish");
		assertThat(publish.traceId()).isEqualTo(request.context().traceId());
		assertThat(publish.parentId()).as("the publish span continues the envelope's traceparent")
			.isEqualTo(request.context().spanId());
		assertThat(consumed.traceId()).as("the consumer is in the request's trace").isEqualTo(request.context().traceId());
		assertThat(consumed.parentId()).as("the consumer's span follows the publish span").isEqualTo(publish.id());
		assertThat(consumed.traceparentHeader()).as("the header carries the publish span")
			.isEqualTo("00-" + publish.traceId() + "-" + publish.id() + "-01");
		assertThat(consumed.envelopeTraceparent()).as("the body keeps the producer's own context")
			.isEqualTo(envelope.traceparent());
	}

	@Test
	void aMessageMadeOutsideAnyTraceIsPublishedWithoutATraceHeader() {
		MessageEnvelope envelope = TestMessages.envelope("ok");
		this.transaction.executeWithoutResult((status) -> this.outbox.enqueue(OutgoingMessage.kafka(this.topic, envelope)));

		Consumed consumed = await().atMost(Duration.ofSeconds(20))
			.until(() -> this.listener.consumed.get(envelope.id().toString()), Objects::nonNull);

		assertThat(envelope.traceparent()).isNull();
		assertThat(consumed.traceparentHeader()).isNull();
		assertThat(this.finishedSpans.withTag("messaging.message.id", envelope.id().toString())).isNull();
		assertThat(consumed.parentId()).as("the listener starts a trace of its own").isNull();
	}

	record Consumed(String traceId, String parentId, String traceparentHeader, String envelopeTraceparent) {
	}

	static class Listener {

		final Map<String, Consumed> consumed = new ConcurrentHashMap<>();

		private final Tracer tracer;

		Listener(Tracer tracer) {
			this.tracer = tracer;
		}

		@KafkaListener(topics = "traced-${test.namespace}")
		void on(ConsumerRecord<String, String> record) {
			MessageEnvelope envelope = MessageEnvelopeCodec.decode(record.value());
			Span current = this.tracer.currentSpan();
			this.consumed.put(envelope.id().toString(),
					new Consumed((current == null) ? null : current.context().traceId(),
							(current == null) ? null : current.context().parentId(),
							TestMessages.header(record.headers(), EnvelopeHeaders.TRACEPARENT), envelope.traceparent()));
		}

	}

	/** Brave's spans as they finish, instead of a Zipkin server. */
	static class FinishedSpans extends SpanHandler {

		final List<MutableSpan> spans = new CopyOnWriteArrayList<>();

		@Override
		public boolean end(TraceContext context, MutableSpan span, Cause cause) {
			this.spans.add(span);
			return true;
		}

		MutableSpan withTag(String name, String value) {
			return this.spans.stream().filter((span) -> value.equals(span.tag(name))).findFirst().orElse(null);
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		KafkaAdmin.NewTopics tracedTopics(@Value("traced-${test.namespace}") String topic) {
			return KafkaTopics.withDeadLetters(1, topic);
		}

		@Bean
		Listener listener(Tracer tracer) {
			return new Listener(tracer);
		}

		@Bean
		FinishedSpans finishedSpans() {
			return new FinishedSpans();
		}

	}

}

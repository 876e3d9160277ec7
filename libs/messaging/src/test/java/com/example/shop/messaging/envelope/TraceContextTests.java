package com.example.shop.messaging.envelope;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import com.example.shop.messaging.TestMessages;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service that adds a Micrometer Tracing bridge (Brave here, as Boot configures it: W3C propagation) gets
 * the current span's context in every envelope it makes, with no change to the library or its code.
 */
class TraceContextTests {

	final ApplicationContextRunner serviceWithTracing = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BraveAutoConfiguration.class, MicrometerTracingAutoConfiguration.class,
				TraceContextAutoConfiguration.class))
		.withPropertyValues("management.tracing.sampling.probability=1.0");

	@Test
	void anEnvelopeMadeInsideASpanCarriesThatSpansW3CTraceContext() {
		this.serviceWithTracing.run((context) -> {
			Tracer tracer = context.getBean(Tracer.class);
			Span span = tracer.nextSpan().name("place-order").start();
			try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
				MessageEnvelope envelope = TestMessages.envelope("ok");

				assertThat(envelope.traceparent())
					.isEqualTo("00-" + span.context().traceId() + "-" + span.context().spanId() + "-01");
				assertThat(EnvelopeHeaders.of(envelope)).containsEntry(EnvelopeHeaders.TRACEPARENT, envelope.traceparent());
			}
			finally {
				span.end();
			}
			assertThat(TestMessages.envelope("ok").traceparent()).as("outside any span").isNull();
		});
		assertThat(TestMessages.envelope("ok").traceparent()).as("after the context closed").isNull();
	}

}

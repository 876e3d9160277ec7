package com.example.shop.messaging.envelope;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Envelopes take their trace context from Micrometer Tracing when a service has it on the classpath, and the
 * outbox relay publishes each message in a span that continues the envelope's trace. The
 * tracer and propagator are looked up when a message is made, so it does not matter which auto-configuration
 * (Brave, OpenTelemetry, none) defines them, or whether one does at all.
 */
@AutoConfiguration
@ConditionalOnClass({ Tracer.class, Propagator.class })
public class TraceContextAutoConfiguration {

	@Bean
	MicrometerTraceContextSource micrometerTraceContextSource(ObjectProvider<Tracer> tracer,
			ObjectProvider<Propagator> propagator) {
		return new MicrometerTraceContextSource(tracer, propagator);
	}

	@Bean
	TracingPublishSpans tracingPublishSpans(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
		return new TracingPublishSpans(tracer, propagator);
	}

}

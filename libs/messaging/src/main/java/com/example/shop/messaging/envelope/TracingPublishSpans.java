package com.example.shop.messaging.envelope;

import java.util.HashMap;
import java.util.Map;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

import org.springframework.beans.factory.ObjectProvider;

import com.example.shop.messaging.outbox.Channel;
import com.example.shop.messaging.outbox.PendingMessage;
import com.example.shop.messaging.outbox.PublishSpans;

/**
 * Publish spans with Micrometer Tracing: a producer span whose parent is the trace context stored with the
 * row (the envelope's {@code traceparent}, or a replayed message's trace headers), extracted by the
 * service's own {@link Propagator}, so W3C parsing is the tracer's business, not ours. A row without a trace
 * context is published without a span, as before. The tracer is looked up per message, as for {@link MicrometerTraceContextSource}.
 */
public final class TracingPublishSpans implements PublishSpans {

	private final ObjectProvider<Tracer> tracer;

	private final ObjectProvider<Propagator> propagator;

	public TracingPublishSpans(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
		this.tracer = tracer;
		this.propagator = propagator;
	}

	@Override
	public PublishSpan start(PendingMessage message) {
		Tracer currentTracer = this.tracer.getIfUnique();
		Propagator currentPropagator = this.propagator.getIfUnique();
		if (currentTracer == null || currentPropagator == null) {
			return PublishSpan.NONE;
		}
		Map<String, String> stored = storedTraceContext(message);
		if (stored.isEmpty()) {
			// Made outside any trace (a scheduled sweep, a service without tracing): the consumer starts one.
			return PublishSpan.NONE;
		}
		Span.Builder builder = currentPropagator.extract(stored, Map::get);
		String system = (message.channel() == Channel.KAFKA) ? "kafka" : "rabbitmq";
		Span span = builder.name(message.destination() + " publish")
			.kind(Span.Kind.PRODUCER)
			.remoteServiceName(system)
			.tag("messaging.system", system)
			.tag("messaging.destination.name", message.destination())
			.tag("messaging.message.id", message.id().toString())
			.tag("messaging.message.type", message.type())
			.tag("messaging.message.conversation_id", message.correlationId())
			.start();
		return new PublishSpan() {

			@Override
			public PublishSpans.Scope makeCurrent() {
				Tracer.SpanInScope scope = currentTracer.withSpan(span);
				return scope::close;
			}

			@Override
			public void end(Throwable failure) {
				if (failure != null) {
					span.error(failure);
				}
				span.end();
			}

		};
	}

	private static Map<String, String> storedTraceContext(PendingMessage message) {
		Map<String, String> context = new HashMap<>();
		if (message.raw()) {
			putIfPresent(context, EnvelopeHeaders.TRACEPARENT, message.headers().get(EnvelopeHeaders.TRACEPARENT));
			putIfPresent(context, EnvelopeHeaders.TRACESTATE, message.headers().get(EnvelopeHeaders.TRACESTATE));
			return context;
		}
		MessageEnvelope envelope = message.decodedEnvelope();
		putIfPresent(context, EnvelopeHeaders.TRACEPARENT, envelope.traceparent());
		putIfPresent(context, EnvelopeHeaders.TRACESTATE, envelope.tracestate());
		return context;
	}

	private static void putIfPresent(Map<String, String> context, String name, String value) {
		if (value != null) {
			context.put(name, value);
		}
	}

}

package com.example.shop.messaging.envelope;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Reads the current span's W3C context through Micrometer Tracing's {@link Tracer} and {@link Propagator},
 * exactly as an HTTP client would write it into request headers. Whichever bridge a service adds later
 * (Brave or OpenTelemetry) is used without a change here; with no bridge, or a propagation type other than
 * W3C, there is no {@code traceparent} and envelopes carry none.
 */
public final class MicrometerTraceContextSource implements Supplier<TraceContext>, SmartInitializingSingleton,
		DisposableBean {

	private final ObjectProvider<Tracer> tracer;

	private final ObjectProvider<Propagator> propagator;

	public MicrometerTraceContextSource(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
		this.tracer = tracer;
		this.propagator = propagator;
	}

	@Override
	public TraceContext get() {
		Tracer currentTracer = this.tracer.getIfUnique();
		Propagator currentPropagator = this.propagator.getIfUnique();
		if (currentTracer == null || currentPropagator == null) {
			return TraceContext.NONE;
		}
		Span span = currentTracer.currentSpan();
		if (span == null) {
			return TraceContext.NONE;
		}
		Map<String, String> fields = new LinkedHashMap<>();
		currentPropagator.inject(span.context(), fields, Map::put);
		String traceparent = fields.get("traceparent");
		return traceparent == null ? TraceContext.NONE : new TraceContext(traceparent, fields.get("tracestate"));
	}

	/** Installed once every bean exists, so the tracer is looked up only when a message is made. */
	@Override
	public void afterSingletonsInstantiated() {
		TraceContext.install(this);
	}

	@Override
	public void destroy() {
		TraceContext.uninstall(this);
	}

}

package com.example.shop.messaging.envelope;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * The W3C trace context ({@code traceparent}, {@code tracestate}) a message carries, so the consumer's work
 * joins the producer's trace.
 * <p>
 * Where it comes from is installed by the library's auto-configuration: Micrometer Tracing's current span
 * when a tracing bridge is on the classpath, nothing otherwise. It is JVM-wide on purpose: the current span
 * is thread-bound state of the tracer, and envelopes are made in domain code that should not have to carry
 * a tracer around to build a message.
 */
public record TraceContext(@Nullable String traceparent, @Nullable String tracestate) {

	public static final TraceContext NONE = new TraceContext(null, null);

	private static volatile Supplier<TraceContext> source = () -> NONE;

	/** The trace context of the calling thread, or {@link #NONE} when there is no tracer or no current span. */
	public static TraceContext current() {
		try {
			TraceContext current = source.get();
			return current == null ? NONE : current;
		}
		catch (RuntimeException ex) {
			// A message is worth more than its trace: never fail a business transaction over tracing.
			return NONE;
		}
	}

	static void install(Supplier<TraceContext> newSource) {
		source = newSource;
	}

	/** Falls back to no trace context, unless another source was installed since (another context). */
	static void uninstall(Supplier<TraceContext> installed) {
		if (source == installed) {
			source = () -> NONE;
		}
	}

}

package com.example.shop.messaging.outbox;

/**
 * Opens the span around the publishing of one outbox row.
 * <p>
 * The relay publishes later and on its own thread, long after the request or message that enqueued the row
 * finished, so no span is current there: without this, the message would leave with no trace, or a tracing
 * client would start a new one. The span opened here continues the trace the row's envelope carries, is
 * current while the publisher sends (so the broker headers carry its context, and the consumer's span
 * becomes its child), and ends when the broker acknowledged the message or the publish failed.
 * <p>
 * An interface without tracing types, so the relay works the same in a service without Micrometer Tracing
 * ({@link #NONE}); the implementation lives beside the envelope's trace context.
 */
@FunctionalInterface
public interface PublishSpans {

	/** No tracing on the classpath, or no tracer: publishing is not traced. */
	PublishSpans NONE = (message) -> PublishSpan.NONE;

	/** Starts the span of publishing {@code message} and makes it current on the calling thread. */
	PublishSpan start(PendingMessage message);

	/** The span of one publish: current until closed. */
	interface PublishSpan extends AutoCloseable {

		PublishSpan NONE = () -> {
		};

		/** Records why the publish failed; the span still ends with {@link #close()}. */
		default void failed(Throwable failure) {
		}

		/** Ends the span and restores the thread's previous span. */
		@Override
		void close();

	}

}

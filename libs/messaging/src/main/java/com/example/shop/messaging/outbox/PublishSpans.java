package com.example.shop.messaging.outbox;

/**
 * Opens the span around the publishing of one outbox row.
 * <p>
 * The relay publishes later and on its own thread, long after the request or message that enqueued the row
 * finished, so no span is current there: without this, the message would leave with no trace, or a tracing
 * client would start a new one. The span opened here continues the trace the row's envelope carries, is
 * current while the publisher sends (so the broker headers carry its context, and the consumer's span
 * becomes its child), and ends when the broker acknowledged the message or the publish failed. The relay
 * sends many rows before their acknowledgements arrive, so being current (on the sending thread, briefly)
 * and ending (when the acknowledgement arrives, on whichever thread) are two steps.
 * <p>
 * An interface without tracing types, so the relay works the same in a service without Micrometer Tracing
 * ({@link #NONE}); the implementation lives beside the envelope's trace context.
 */
@FunctionalInterface
public interface PublishSpans {

	/** No tracing on the classpath, or no tracer: publishing is not traced. */
	PublishSpans NONE = (message) -> PublishSpan.NONE;

	/** Starts the span of publishing {@code message}; it is not current anywhere yet. */
	PublishSpan start(PendingMessage message);

	/** The span of one publish, from the send to the broker's verdict. */
	interface PublishSpan {

		PublishSpan NONE = new PublishSpan() {

			@Override
			public Scope makeCurrent() {
				return Scope.NONE;
			}

			@Override
			public void end(Throwable failure) {
			}

		};

		/** Makes the span current on the calling thread until the scope is closed: around the send. */
		Scope makeCurrent();

		/**
		 * Ends the span, on any thread, once.
		 * @param failure why the publish failed, recorded on the span; null when the broker acknowledged it
		 */
		void end(Throwable failure);

	}

	/** A span being current on one thread; closing it restores the thread's previous span. */
	interface Scope extends AutoCloseable {

		Scope NONE = () -> {
		};

		@Override
		void close();

	}

}

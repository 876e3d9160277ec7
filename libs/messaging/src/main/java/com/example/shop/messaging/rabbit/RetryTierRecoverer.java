package com.example.shop.messaging.rabbit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.retry.MessageRecoverer;
import org.springframework.amqp.rabbit.support.ListenerExecutionFailedException;
import org.springframework.messaging.handler.invocation.MethodArgumentResolutionException;

import com.example.shop.messaging.deadletter.DeadLetterLog;
import com.example.shop.messaging.envelope.EnvelopeHeaders;
import com.example.shop.messaging.envelope.MalformedMessageException;
import com.example.shop.messaging.outbox.PublishFailedException;

/**
 * Decides where a message whose listener failed goes next, and moves it there before the original is acked:
 * <ul>
 * <li>a retryable failure with tiers left: a copy to {@code Q.retry.(n+1)} with {@code x-retry-count = n+1},
 * where the broker holds it for that tier's delay and then routes it back to Q;</li>
 * <li>the last tier used up, or a failure retrying cannot fix (malformed message, conversion failure,
 * {@link AmqpRejectAndDontRequeueException}): a copy to {@code Q.dlq} through {@code Q.dlx}, with the
 * failure in headers ({@link RetryHeaders}).</li>
 * </ul>
 * Both copies are published with a confirm; only then is the original acked. If the copy cannot be
 * published (a tier that is full, for example), the original is rejected without requeue and the broker
 * dead-letters it to {@code Q.dlq} itself. Nothing is ever requeued to the head of Q, so a poison message
 * cannot loop, and no listener thread sleeps: messages behind a failing one are consumed at once.
 */
public class RetryTierRecoverer implements MessageRecoverer {

	private static final Logger log = LoggerFactory.getLogger(RetryTierRecoverer.class);

	private static final List<Class<? extends Throwable>> NOT_RETRYABLE = List.of(MalformedMessageException.class,
			AmqpRejectAndDontRequeueException.class,
			org.springframework.amqp.support.converter.MessageConversionException.class,
			org.springframework.messaging.converter.MessageConversionException.class,
			MethodArgumentResolutionException.class, ClassCastException.class);

	private final Map<String, RabbitQueueTopology> topologies;

	private final int retryTiers;

	private final ConfirmedRabbitSender sender;

	private final int messageLimit;

	public RetryTierRecoverer(List<RabbitQueueTopology> topologies, int retryTiers, ConfirmedRabbitSender sender,
			int messageLimit) {
		this.topologies = topologies.stream()
			.collect(Collectors.toUnmodifiableMap(RabbitQueueTopology::queue, Function.identity()));
		this.retryTiers = retryTiers;
		this.sender = sender;
		this.messageLimit = messageLimit;
	}

	@Override
	public void recover(Message message, Throwable failure) {
		String queue = message.getMessageProperties().getConsumerQueue();
		RabbitQueueTopology topology = (queue != null) ? this.topologies.get(queue) : null;
		Throwable cause = unwrap(failure);
		if (topology == null) {
			// Not a queue of ours: no tiers to use. Rejected without requeue, so the queue's own dead-lettering
			// applies; without one RabbitMQ drops the message, hence the error.
			log.error("{} failed in {}, which has no RabbitQueueTopology bean: rejected to that queue's own "
					+ "dead-lettering, dropped if it has none ({})", messageId(message), queue, describe(cause));
			throw new AmqpRejectAndDontRequeueException("no RabbitQueueTopology for queue " + queue, cause);
		}
		int retries = retryCount(message);
		try {
			if (retries < this.retryTiers && retryable(cause)) {
				retry(message, topology, retries + 1, cause);
			}
			else {
				deadLetter(message, topology, retries, cause);
			}
		}
		catch (PublishFailedException ex) {
			logDeadLettered(message, topology, describe(cause) + "; rejected to the broker's dead-lettering since the "
					+ "copy could not be published (" + ex.getMessage() + ")");
			throw new AmqpRejectAndDontRequeueException(
					"could not move " + message.getMessageProperties().getMessageId() + " out of " + queue
							+ " (" + ex.getMessage() + "); rejected to the broker's dead-lettering",
					cause);
		}
	}

	private void retry(Message message, RabbitQueueTopology topology, int retryCount, Throwable cause)
			throws PublishFailedException {
		Message copy = MessageBuilder.fromClonedMessage(message)
			.setDeliveryMode(MessageDeliveryMode.PERSISTENT)
			.setHeader(RetryHeaders.RETRY_COUNT, retryCount)
			.build();
		String tier = topology.retryQueue(retryCount);
		this.sender.send(topology.redeliveryExchange(), tier, copy, messageId(message) + ":retry:" + retryCount);
		log.info("{} failed in {} ({}), retry {} of {} via {}", messageId(message), topology.queue(), describe(cause),
				retryCount, this.retryTiers, tier);
	}

	private void deadLetter(Message message, RabbitQueueTopology topology, int retryCount, Throwable cause)
			throws PublishFailedException {
		Message copy = MessageBuilder.fromClonedMessage(message)
			.setDeliveryMode(MessageDeliveryMode.PERSISTENT)
			.setHeader(RetryHeaders.RETRY_COUNT, retryCount)
			.setHeader(RetryHeaders.EXCEPTION_CLASS, cause.getClass().getName())
			.setHeader(RetryHeaders.EXCEPTION_MESSAGE, truncate(String.valueOf(cause.getMessage())))
			.setHeader(RetryHeaders.ORIGINAL_QUEUE, topology.queue())
			.setHeader(RetryHeaders.FAILED_AT, Instant.now().toString())
			.setHeader(RetryHeaders.DEAD_LETTER_ID, UUID.randomUUID().toString())
			.build();
		this.sender.send(topology.deadLetterExchange(), topology.queue(), copy, messageId(message) + ":dead-letter");
		logDeadLettered(message, topology, describe(cause) + " after " + retryCount + " retries");
	}

	private static void logDeadLettered(Message message, RabbitQueueTopology topology, String reason) {
		MessageProperties properties = message.getMessageProperties();
		String type = (properties.getHeader(EnvelopeHeaders.MESSAGE_TYPE) instanceof Object header) ? header.toString()
				: properties.getType();
		Object traceparent = properties.getHeader(EnvelopeHeaders.TRACEPARENT);
		DeadLetterLog.deadLettered((traceparent != null) ? traceparent.toString() : null, properties.getMessageId(),
				type, topology.queue(), topology.deadLetterQueue(), reason);
	}

	static boolean retryable(Throwable cause) {
		for (Throwable current = cause; current != null; current = current.getCause()) {
			for (Class<? extends Throwable> type : NOT_RETRYABLE) {
				if (type.isInstance(current)) {
					return false;
				}
			}
		}
		return true;
	}

	private static int retryCount(Message message) {
		Object value = message.getMessageProperties().getHeaders().get(RetryHeaders.RETRY_COUNT);
		if (value instanceof Number number) {
			return number.intValue();
		}
		if (value != null) {
			try {
				return Integer.parseInt(value.toString());
			}
			catch (NumberFormatException ex) {
				return 0;
			}
		}
		return 0;
	}

	/** The listener's own exception, not the container's wrapper around it. */
	private static Throwable unwrap(Throwable failure) {
		Throwable cause = failure;
		while (cause instanceof ListenerExecutionFailedException && cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	private static String messageId(Message message) {
		String id = message.getMessageProperties().getMessageId();
		return (id != null) ? id : "message without id";
	}

	private static String describe(Throwable cause) {
		return cause.getClass().getSimpleName() + ": " + cause.getMessage();
	}

	private String truncate(String text) {
		return text.length() <= this.messageLimit ? text : text.substring(0, this.messageLimit);
	}

}

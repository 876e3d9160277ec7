package com.example.shop.messaging.rabbit;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import com.example.shop.messaging.outbox.PublishFailedException;

/**
 * Publishes messages and tells when RabbitMQ has taken responsibility for each: a publisher confirm (ack)
 * AND no return. With {@code mandatory}, a message no queue is bound for comes back as a return before
 * its ack; that is a failure here, not "sent", since nobody would ever receive it.
 * <p>
 * Publishes on the connection factory's separate publisher connection, so a broker that blocks publishers
 * (memory or disk alarm) does not also stall the service's consumers.
 */
public class ConfirmedRabbitSender {

	private static final Logger log = LoggerFactory.getLogger(ConfirmedRabbitSender.class);

	private final RabbitTemplate template;

	private final Duration timeout;

	public ConfirmedRabbitSender(ConnectionFactory connectionFactory, Duration timeout) {
		if (!connectionFactory.isPublisherConfirms() || !connectionFactory.isPublisherReturns()) {
			throw new IllegalStateException("libs/messaging publishes to RabbitMQ with publisher confirms and returns: "
					+ "set spring.rabbitmq.publisher-confirm-type=correlated and spring.rabbitmq.publisher-returns=true "
					+ "(the library's defaults, overridden in this service)");
		}
		this.template = new RabbitTemplate(connectionFactory);
		this.template.setMandatory(true);
		this.template.setUsePublisherConnection(true);
		this.template.setReturnsCallback((returned) -> log.debug("Returned by RabbitMQ: {}", returned));
		this.timeout = timeout;
	}

	/**
	 * Publishes and waits for the verdict: for one message that must be in RabbitMQ before the caller goes on
	 * (a retry tier, a parked dead letter).
	 * @throws PublishFailedException unless confirmed and routed within the timeout
	 */
	public void send(String exchange, String routingKey, Message message, String correlationId)
			throws PublishFailedException {
		try {
			sendAsync(exchange, routingKey, message, correlationId).get();
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof PublishFailedException failure) ? failure
					: new PublishFailedException("RabbitMQ confirm failed: " + ex.getCause(), true, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new PublishFailedException("interrupted while waiting for RabbitMQ", true, ex);
		}
	}

	/**
	 * Publishes without waiting, so many messages can be confirmed together: their confirms come back on
	 * the connection's thread and each completes its own message's future (correlated by
	 * {@code correlationId}, which must be unique among the messages awaiting a confirm, as a returned message
	 * is matched to its confirm by it).
	 * @return completes once RabbitMQ confirmed the message and routed it to a queue; exceptionally with a
	 * {@link PublishFailedException} when it was refused, returned as unroutable, or not confirmed within the
	 * timeout, and at once when RabbitMQ is unreachable
	 */
	public CompletableFuture<Void> sendAsync(String exchange, String routingKey, Message message, String correlationId) {
		CorrelationData correlation = new CorrelationData(correlationId);
		try {
			this.template.send(exchange, routingKey, message, correlation);
		}
		catch (AmqpException ex) {
			// Connection refused or lost: the broker, not this message.
			return CompletableFuture.failedFuture(
					new PublishFailedException("RabbitMQ unreachable: " + ex.getMessage(), true, ex));
		}
		CompletableFuture<Void> outcome = new CompletableFuture<>();
		// The confirm future of the correlation itself is left alone (the template completes it); a copy
		// carries the timeout.
		correlation.getFuture().copy().orTimeout(this.timeout.toMillis(), TimeUnit.MILLISECONDS)
			.whenComplete((confirm, failure) -> {
				PublishFailedException refusal = (failure != null) ? unconfirmed(failure) : verdict(confirm, correlation);
				if (refusal == null) {
					outcome.complete(null);
				}
				else {
					outcome.completeExceptionally(refusal);
				}
			});
		return outcome;
	}

	private PublishFailedException unconfirmed(Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		if (cause instanceof TimeoutException) {
			return new PublishFailedException("RabbitMQ did not confirm within " + this.timeout.toMillis() + " ms", true,
					cause);
		}
		return new PublishFailedException("RabbitMQ confirm failed: " + cause, true, cause);
	}

	/**
	 * @return null when acknowledged and routed. The broker returns an unroutable message before it confirms
	 * it, and Spring AMQP sets the return on the correlation before it completes the confirm future, so the
	 * return is known here.
	 */
	private static PublishFailedException verdict(CorrelationData.Confirm confirm, CorrelationData correlation) {
		if (!confirm.ack()) {
			return nacked(confirm);
		}
		ReturnedMessage returned = correlation.getReturned();
		if (returned != null) {
			return new PublishFailedException("unroutable: exchange '" + returned.getExchange()
					+ "' has no queue bound for '" + returned.getRoutingKey() + "' (" + returned.getReplyCode() + " "
					+ returned.getReplyText() + ")", false);
		}
		return null;
	}

	/**
	 * A nack with a reason is the channel closing under the publish, which nacks everything pending on it:
	 * a missing exchange closes it, so this message's fault (a message awaiting its confirm has its channel to
	 * itself: Spring AMQP hands a channel back to its cache only once its confirms are in, so the messages the
	 * relay sends at once each go on a channel of their own). A nack without one is the broker's own
	 * {@code basic.nack}: a queue the message was routed to refused it, full under {@code x-overflow:
	 * reject-publish} (the platform's queues, see RabbitTopologyDeclarations), or without a majority to store
	 * it. AMQP does not say which, and neither is the message's fault. When the exchange routed it to several
	 * queues, the others took it, and the retry gives them a duplicate that their inboxes drop.
	 */
	private static PublishFailedException nacked(CorrelationData.Confirm confirm) {
		if (confirm.reason() != null) {
			return new PublishFailedException("RabbitMQ refused it (nack): " + confirm.reason(), false);
		}
		return new PublishFailedException("RabbitMQ refused it (nack): a queue it is routed to is full "
				+ "(x-overflow reject-publish) or cannot take messages now", PublishFailedException.Reason.QUEUE_FULL);
	}

}

package com.example.shop.messaging;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code shop.messaging.*}: every knob of the library, with defaults meant for production. Tests shorten the
 * delays; the README explains each value.
 */
@ConfigurationProperties("shop.messaging")
public record MessagingProperties(@DefaultValue Outbox outbox, @DefaultValue Inbox inbox, @DefaultValue Kafka kafka,
		@DefaultValue Rabbit rabbit, @DefaultValue DeadLetters deadLetters) {

	/**
	 * @param relayEnabled whether this instance runs a relay (every replica normally does; they share the work)
	 * @param pollInterval pause between polls when nothing nudged the relay; a commit nudges it at once
	 * @param batchSize rows locked and published per transaction
	 * @param publishTimeout how long one publish may wait for the broker's acknowledgement
	 * @param retryInitialDelay wait before the first retry of a message that failed to publish
	 * @param retryMultiplier growth of that wait per further failure
	 * @param retryMaxDelay cap of that wait: a broker that comes back is used within this time
	 * @param retention how long sent rows are kept (for inspection) before housekeeping deletes them
	 * @param housekeepingInterval how often sent rows and old inbox rows are deleted
	 * @param metricsInterval how often the backlog gauges are refreshed from the table
	 */
	public record Outbox(@DefaultValue("true") boolean relayEnabled, @DefaultValue("250ms") Duration pollInterval,
			@DefaultValue("100") int batchSize, @DefaultValue("10s") Duration publishTimeout,
			@DefaultValue("1s") Duration retryInitialDelay, @DefaultValue("2.0") double retryMultiplier,
			@DefaultValue("5m") Duration retryMaxDelay, @DefaultValue("7d") Duration retention,
			@DefaultValue("1h") Duration housekeepingInterval, @DefaultValue("10s") Duration metricsInterval) {

		public Outbox {
			if (batchSize < 1) {
				throw new IllegalArgumentException("shop.messaging.outbox.batch-size must be 1 or more");
			}
			if (retryMultiplier < 1.0) {
				throw new IllegalArgumentException("shop.messaging.outbox.retry-multiplier must be 1.0 or more");
			}
		}

	}

	/**
	 * @param retention how long a consumed message id is remembered; a copy arriving later is processed again,
	 * so keep it longer than any redelivery or replay can happen (Kafka retention, dead-letter replays)
	 */
	public record Inbox(@DefaultValue("30d") Duration retention) {
	}

	/**
	 * Blocking retries of a failed Kafka record before it goes to {@code <topic>.DLT}: with the defaults 3
	 * retries after 200 ms, 1 s and 5 s. The partition waits meanwhile (Kafka's order is per partition).
	 */
	public record Kafka(@DefaultValue("3") int maxRetries, @DefaultValue("200ms") Duration retryInitialInterval,
			@DefaultValue("5.0") double retryMultiplier, @DefaultValue("5s") Duration retryMaxInterval) {
	}

	/**
	 * @param retryDelays one retry tier queue {@code Q.retry.N} per entry, holding a failed message this long
	 * (a per-queue TTL; changing one means deleting that queue, see the README)
	 * @param deliveryLimit quorum-queue redeliveries before the broker itself dead-letters a message: a net
	 * for a consumer that crashes on a message before the listener-side handling can act
	 * @param deadLetterMessageLimit characters of an exception message kept in {@code x-exception-message}
	 * @param maxLength {@code x-max-length} of every queue of a {@code RabbitQueueTopology} (Q, its retry tiers,
	 * Q.dlq): beyond it the broker refuses publishes ({@code x-overflow: reject-publish}) and the messages wait
	 * in the producers' outbox tables instead. The default is far above any ordinary backlog (a consumer that
	 * restarts or is redeployed; at the benchmark's target of 150 orders a second, over five minutes of payment
	 * commands), and bounds what a consumer that is gone for good can pile up in RabbitMQ to about 100 MB per
	 * queue (envelopes are under 1 KB): unbounded, such a queue fills the broker's disk, and RabbitMQ's disk
	 * alarm blocks every publisher of every service. Changing it means replacing the queues (docs/messaging.md,
	 * upgrading a running platform)
	 */
	public record Rabbit(@DefaultValue({ "1s", "5s", "30s" }) List<Duration> retryDelays,
			@DefaultValue("10") int deliveryLimit, @DefaultValue("1000") int deadLetterMessageLimit,
			@DefaultValue("100000") int maxLength) {

		public Rabbit {
			retryDelays = List.copyOf(retryDelays);
			if (maxLength < 1) {
				throw new IllegalArgumentException("shop.messaging.rabbit.max-length must be 1 or more");
			}
		}

	}

	/**
	 * The dead-letter store ({@code dead_letter}) and its ingestion from {@code <topic>.DLT} / {@code Q.dlq}.
	 *
	 * @param ingestEnabled whether this instance copies its dead letters from the broker into the table
	 * (every replica normally does; they share the work)
	 * @param retryInitialDelay wait before storing a dead letter again after the database failed
	 * @param retryMaxDelay cap of that wait; storing is retried for as long as it takes
	 * @param metricsInterval how often the {@code dead.letters} gauge is refreshed from the table
	 */
	public record DeadLetters(@DefaultValue("true") boolean ingestEnabled,
			@DefaultValue("1s") Duration retryInitialDelay, @DefaultValue("30s") Duration retryMaxDelay,
			@DefaultValue("30s") Duration metricsInterval) {
	}

}

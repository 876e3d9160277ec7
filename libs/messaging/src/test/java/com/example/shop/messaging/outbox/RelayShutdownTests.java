package com.example.shop.messaging.outbox;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import com.example.shop.messaging.MessagingProperties;
import com.example.shop.messaging.TestMessages;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.inbox.Inbox;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping the relay (context close) while a publish waits for its broker: the stop waits for that publish,
 * records it as sent, and starts no other. Nothing is left half-published.
 */
@SpringBootTest(classes = RelayShutdownTests.App.class, properties = "shop.messaging.outbox.relay-enabled=false")
@UsesInfrastructure(Infrastructure.POSTGRES)
class RelayShutdownTests {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transaction;

	@Autowired
	Inbox inbox;

	@Autowired
	MessagingProperties properties;

	@Test
	void stopFinishesThePublishInProgressAndLeavesTheRestUnsent() throws Exception {
		OutboxRepository repository = new OutboxRepository(this.jdbc);
		List<MessageEnvelope> envelopes = List.of(TestMessages.envelope("ok"), TestMessages.envelope("ok"),
				TestMessages.envelope("ok"));
		this.transaction.executeWithoutResult((status) -> envelopes
			.forEach((envelope) -> repository.insert(OutgoingMessage.kafka("slow-topic", envelope))));
		BlockingPublisher broker = new BlockingPublisher();
		OutboxRelay relay = new OutboxRelay("shutdown", repository, this.transaction, List.of(broker),
				this.properties.outbox(), new OutboxMetrics(repository, new SimpleMeterRegistry(), "shutdown"),
				new OutboxHousekeeping(repository, this.inbox, Duration.ofDays(7), Duration.ofDays(30)));

		relay.start();
		assertThat(broker.publishing.await(10, TimeUnit.SECONDS)).as("a publish is waiting for the broker").isTrue();
		Thread stopping = Thread.ofPlatform().start(relay::stop);

		await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(stopping::isAlive);
		broker.acknowledge.countDown();
		stopping.join(10_000);

		assertThat(stopping.isAlive()).isFalse();
		assertThat(relay.isRunning()).isFalse();
		assertThat(sentAndAttempts(envelopes.get(0).id())).isEqualTo("sent after 1 attempt");
		assertThat(sentAndAttempts(envelopes.get(1).id())).isEqualTo("unsent after 0 attempts");
		assertThat(sentAndAttempts(envelopes.get(2).id())).isEqualTo("unsent after 0 attempts");
		assertThat(broker.published).isEqualTo(1);
	}

	private String sentAndAttempts(UUID id) {
		return this.jdbc.sql("SELECT sent_at IS NOT NULL AS sent, attempts FROM outbox_message WHERE id = :id")
			.param("id", id)
			.query((rs, n) -> (rs.getBoolean("sent") ? "sent" : "unsent") + " after " + rs.getInt("attempts") + " attempt"
					+ (rs.getInt("attempts") == 1 ? "" : "s"))
			.single();
	}

	/** A broker that acknowledges only when the test says so. */
	static final class BlockingPublisher implements OutboxPublisher {

		final CountDownLatch publishing = new CountDownLatch(1);

		final CountDownLatch acknowledge = new CountDownLatch(1);

		volatile int published;

		@Override
		public Channel channel() {
			return Channel.KAFKA;
		}

		@Override
		public void publish(PendingMessage message) throws PublishFailedException {
			this.publishing.countDown();
			try {
				if (!this.acknowledge.await(30, TimeUnit.SECONDS)) {
					throw new PublishFailedException("no acknowledgement", true);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new PublishFailedException("interrupted", true, ex);
			}
			this.published++;
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}

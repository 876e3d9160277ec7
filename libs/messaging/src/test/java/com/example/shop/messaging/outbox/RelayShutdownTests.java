package com.example.shop.messaging.outbox;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * Stopping the relay (context close) while a wave of publishes waits for its broker: the stop waits for that
 * wave, records its messages as sent, and starts no other wave. Nothing is left half-published.
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
	void stopFinishesTheWaveInProgressAndLeavesTheRestUnsent() throws Exception {
		OutboxRepository repository = new OutboxRepository(this.jdbc);
		String twoRows = UUID.randomUUID().toString();
		MessageEnvelope first = TestMessages.envelope(twoRows, "ok", 0);
		MessageEnvelope second = TestMessages.envelope(twoRows, "ok", 1);
		MessageEnvelope otherOrder = TestMessages.envelope("ok");
		this.transaction.executeWithoutResult((status) -> List.of(first, second, otherOrder)
			.forEach((envelope) -> repository.insert(OutgoingMessage.kafka("slow-topic", envelope))));
		BlockingPublisher broker = new BlockingPublisher();
		OutboxRelay relay = new OutboxRelay("shutdown", repository, this.transaction, List.of(broker),
				this.properties.outbox(), new OutboxMetrics(repository, new SimpleMeterRegistry(), "shutdown"),
				new OutboxHousekeeping(repository, this.inbox, Duration.ofDays(7), Duration.ofDays(30)));

		relay.start();
		// The first wave: the first row of each order, both sent before either is acknowledged.
		assertThat(broker.publishing.await(10, TimeUnit.SECONDS)).as("a wave is waiting for the broker").isTrue();
		Thread stopping = Thread.ofPlatform().start(relay::stop);

		await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(stopping::isAlive);
		broker.acknowledgeAll();
		stopping.join(10_000);

		assertThat(stopping.isAlive()).isFalse();
		assertThat(relay.isRunning()).isFalse();
		assertThat(sentAndAttempts(first.id())).isEqualTo("sent after 1 attempt");
		assertThat(sentAndAttempts(otherOrder.id())).isEqualTo("sent after 1 attempt");
		assertThat(sentAndAttempts(second.id())).as("the next wave never started").isEqualTo("unsent after 0 attempts");
		assertThat(broker.sent).hasSize(2);
	}

	private String sentAndAttempts(UUID id) {
		return OutboxRowState.of(this.jdbc, id);
	}

	/** A broker that acknowledges only when the test says so. */
	static final class BlockingPublisher implements OutboxPublisher {

		final CountDownLatch publishing = new CountDownLatch(2);

		final List<CompletableFuture<Void>> sent = new CopyOnWriteArrayList<>();

		@Override
		public Channel channel() {
			return Channel.KAFKA;
		}

		@Override
		public CompletableFuture<Void> send(PendingMessage message) {
			CompletableFuture<Void> acknowledged = new CompletableFuture<>();
			this.sent.add(acknowledged);
			this.publishing.countDown();
			return acknowledged;
		}

		void acknowledgeAll() {
			this.sent.forEach((acknowledged) -> acknowledged.complete(null));
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}

package com.example.shop.messaging.outbox;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import com.example.shop.messaging.TestMessages;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.inbox.Inbox;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Retention of sent rows, and the backlog gauges, on the real table (no relay runs in this class). */
@SpringBootTest(classes = OutboxHousekeepingTests.App.class, properties = "shop.messaging.outbox.relay-enabled=false")
@UsesInfrastructure(Infrastructure.POSTGRES)
class OutboxHousekeepingTests {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transaction;

	@Autowired
	Inbox inbox;

	@Test
	void housekeepingDeletesSentRowsPastTheRetentionAndNeverAnUnsentOne() {
		OutboxRepository repository = new OutboxRepository(this.jdbc);
		MessageEnvelope oldSent = insert(repository);
		MessageEnvelope recentSent = insert(repository);
		MessageEnvelope oldUnsent = insert(repository);
		repository.markSent(List.of(oldSent.id(), recentSent.id()));
		backdate(oldSent.id(), "sent_at", Duration.ofDays(8));
		backdate(oldUnsent.id(), "created_at", Duration.ofDays(30));

		new OutboxHousekeeping(repository, this.inbox, Duration.ofDays(7), Duration.ofDays(30)).run();

		assertThat(this.jdbc.sql("SELECT id FROM outbox_message WHERE id IN (:ids)")
			.param("ids", List.of(oldSent.id(), recentSent.id(), oldUnsent.id()))
			.query(UUID.class)
			.list()).containsExactlyInAnyOrder(recentSent.id(), oldUnsent.id());
	}

	@Test
	void theGaugesShowTheUnsentBacklogAndHowLongTheOldestHasWaited() {
		this.jdbc.sql("DELETE FROM outbox_message").update();
		OutboxRepository repository = new OutboxRepository(this.jdbc);
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		OutboxMetrics metrics = new OutboxMetrics(repository, meters, "orders");
		MessageEnvelope waiting = insert(repository);
		insert(repository);
		repository.markSent(List.of(insert(repository).id()));
		backdate(waiting.id(), "created_at", Duration.ofSeconds(90));

		metrics.refresh();

		assertThat(meters.get("outbox.backlog").tag("application", "orders").gauge().value()).isEqualTo(2);
		assertThat(meters.get("outbox.oldest.age").tag("application", "orders").gauge().value()).isCloseTo(90, within(5.0));
	}

	@Test
	void retriesBackOffExponentiallyUpToTheCap() {
		RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5));

		assertThat(backoff.after(1)).isEqualTo(Duration.ofSeconds(1));
		assertThat(backoff.after(2)).isEqualTo(Duration.ofSeconds(2));
		assertThat(backoff.after(5)).isEqualTo(Duration.ofSeconds(16));
		assertThat(backoff.after(9)).isEqualTo(Duration.ofSeconds(256));
		assertThat(backoff.after(10)).isEqualTo(Duration.ofMinutes(5));
		assertThat(backoff.after(500)).isEqualTo(Duration.ofMinutes(5));
	}

	private MessageEnvelope insert(OutboxRepository repository) {
		MessageEnvelope envelope = TestMessages.envelope("ok");
		this.transaction.executeWithoutResult((status) -> repository.insert(OutgoingMessage.kafka("nowhere", envelope)));
		return envelope;
	}

	private void backdate(UUID id, String column, Duration by) {
		this.jdbc.sql("UPDATE outbox_message SET " + column + " = " + column + " - :seconds * interval '1 second' WHERE id = :id")
			.param("seconds", by.toSeconds())
			.param("id", id)
			.update();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}

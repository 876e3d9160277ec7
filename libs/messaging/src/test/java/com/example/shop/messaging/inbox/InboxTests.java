package com.example.shop.messaging.inbox;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import com.example.shop.messaging.TestMessages;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Idempotent consumption against real PostgreSQL: the effect of a message is applied once however often and
 * however concurrently it is delivered, and again after a rolled-back attempt.
 */
@SpringBootTest(classes = InboxTests.App.class, properties = "shop.messaging.outbox.relay-enabled=false")
@UsesInfrastructure(Infrastructure.POSTGRES)
class InboxTests {

	static final String CONSUMER = "test.reserve-stock";

	@Autowired
	Inbox inbox;

	@Autowired
	TransactionTemplate transaction;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MeterRegistry meters;

	@BeforeEach
	void effectTable() {
		this.jdbc.sql("CREATE TABLE IF NOT EXISTS effect (message_id uuid NOT NULL)").update();
	}

	@Test
	void theSameMessageTwiceHasItsEffectOnce() {
		MessageEnvelope message = TestMessages.envelope("ok");
		double duplicatesBefore = duplicates();

		assertThat(deliver(message)).isTrue();
		assertThat(deliver(message)).isFalse();

		assertThat(effects(message)).isEqualTo(1);
		assertThat(duplicates()).isEqualTo(duplicatesBefore + 1);
	}

	@Test
	void anotherConsumerOfTheSameMessageIsNotADuplicate() {
		MessageEnvelope message = TestMessages.envelope("ok");

		assertThat(deliver(message)).isTrue();
		Boolean otherStep = this.transaction.execute((status) -> this.inbox.firstDelivery("test.other-step", message));
		assertThat(otherStep).isTrue();
	}

	@Test
	void concurrentDuplicateDeliveriesHaveOneEffect() throws Exception {
		MessageEnvelope message = TestMessages.envelope("ok");
		int deliveries = 8;
		CountDownLatch start = new CountDownLatch(1);
		List<Callable<Boolean>> attempts = new ArrayList<>();
		for (int i = 0; i < deliveries; i++) {
			attempts.add(() -> {
				start.await();
				return deliver(message);
			});
		}
		List<Boolean> outcomes = new ArrayList<>();
		try (ExecutorService threads = Executors.newFixedThreadPool(deliveries)) {
			List<Future<Boolean>> futures = attempts.stream().map(threads::submit).toList();
			start.countDown();
			for (Future<Boolean> future : futures) {
				outcomes.add(future.get());
			}
		}

		assertThat(outcomes).containsOnlyOnce(true).hasSize(deliveries);
		assertThat(effects(message)).isEqualTo(1);
	}

	@Test
	void aDeliveryThatRolledBackIsAppliedOnRedelivery() {
		MessageEnvelope message = TestMessages.envelope("ok");

		this.transaction.executeWithoutResult((status) -> {
			assertThat(this.inbox.firstDelivery(CONSUMER, message)).isTrue();
			applyEffect(message);
			status.setRollbackOnly(); // the consumer crashed before its commit
		});

		assertThat(effects(message)).isZero();
		assertThat(deliver(message)).isTrue();
		assertThat(effects(message)).isEqualTo(1);
	}

	@Test
	void outsideATransactionItRefuses() {
		MessageEnvelope message = TestMessages.envelope("ok");

		assertThatThrownBy(() -> this.inbox.firstDelivery(CONSUMER, message)).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("needs the transaction");
	}

	@Test
	void housekeepingForgetsOnlyOldEntries() {
		MessageEnvelope old = TestMessages.envelope("ok");
		MessageEnvelope recent = TestMessages.envelope("ok");
		deliver(old);
		deliver(recent);
		this.jdbc.sql("UPDATE inbox_message SET received_at = now() - interval '40 days' WHERE message_id = :id")
			.param("id", old.id())
			.update();

		this.inbox.forgetReceivedBefore(Instant.now().minus(30, ChronoUnit.DAYS), 1000);

		assertThat(this.jdbc.sql("SELECT message_id FROM inbox_message WHERE message_id IN (:ids)")
			.param("ids", List.of(old.id(), recent.id()))
			.query(UUID.class)
			.list()).containsExactly(recent.id());
	}

	/** A consumer as a service writes one: inbox check and effect in one transaction. */
	private boolean deliver(MessageEnvelope message) {
		return Boolean.TRUE.equals(this.transaction.execute((status) -> {
			if (!this.inbox.firstDelivery(CONSUMER, message)) {
				return false;
			}
			applyEffect(message);
			return true;
		}));
	}

	private void applyEffect(MessageEnvelope message) {
		this.jdbc.sql("INSERT INTO effect (message_id) VALUES (:id)").param("id", message.id()).update();
	}

	private long effects(MessageEnvelope message) {
		return this.jdbc.sql("SELECT count(*) FROM effect WHERE message_id = :id")
			.param("id", message.id())
			.query(Long.class)
			.single();
	}

	private double duplicates() {
		var counter = this.meters.find("inbox.duplicates").tag("consumer", CONSUMER).counter();
		return (counter == null) ? 0 : counter.count();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}

package com.example.shop.inventory.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.example.shop.inventory.InventoryServiceApplication;
import com.example.shop.inventory.stock.StockLevels;
import com.example.shop.messaging.testsupport.KafkaSender;
import com.example.shop.messaging.testsupport.KafkaTopicRecorder;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.proto.inventory.v1.InventoryServiceGrpc;
import com.example.shop.proto.inventory.v1.StockChanged;
import com.example.shop.proto.inventory.v1.WatchStockRequest;
import com.example.shop.testsupport.GrpcTokens;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.test.context.ActiveProfiles;

import static com.example.shop.messaging.testsupport.KafkaTopicRecorder.envelope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas of the service at once, as two application contexts in this JVM on the same database, topics
 * and consumer group: each command is handled by exactly one of them (and both take part), and a WatchStock
 * stream on one replica sees the changes made on the other. One consumer thread per replica, so the group's
 * three partitions are split between the two.
 */
@SpringBootTest(properties = "spring.kafka.listener.concurrency=1")
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA, Infrastructure.TOKENS })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class TwoReplicasTests {

	@Autowired
	ConfigurableApplicationContext replicaA;

	@Autowired
	Environment environment;

	@Autowired
	InventoryMessagingProperties topics;

	@Autowired
	JdbcClient jdbc;

	ConfigurableApplicationContext replicaB;

	@BeforeAll
	void startSecondReplica() {
		// Command-line arguments, so they win over application.yml (as the test's own properties do for A):
		// the same database, broker, namespace (topics, consumer group).
		List<String> same = new ArrayList<>();
		for (String name : List.of("test.namespace", "spring.datasource.url", "spring.datasource.username",
				"spring.datasource.password", "spring.kafka.bootstrap-servers", "shop.security.issuer-uri",
				"shop.security.jwk-set-uri", "spring.security.oauth2.client.provider.shop.token-uri")) {
			same.add("--" + name + "=" + this.environment.getRequiredProperty(name));
		}
		same.add("--spring.kafka.listener.concurrency=1");
		same.add("--server.port=0");
		same.add("--management.server.port=0");
		this.replicaB = new SpringApplicationBuilder(InventoryServiceApplication.class).profiles("test")
			.run(same.toArray(String[]::new));
		assertThat(this.replicaB.getEnvironment().getProperty("spring.datasource.url"))
			.isEqualTo(this.environment.getProperty("spring.datasource.url"));
		// Both are in the group with a share of the partitions before anything is sent.
		await().atMost(Duration.ofSeconds(60))
			.until(() -> !assigned(this.replicaA).isEmpty() && !assigned(this.replicaB).isEmpty()
					&& assigned(this.replicaA).size() + assigned(this.replicaB).size() == this.topics.partitions());
	}

	@AfterAll
	void stopSecondReplica() {
		if (this.replicaB != null) {
			this.replicaB.close();
		}
	}

	@Test
	void eachCommandIsHandledByExactlyOneOfTheReplicas() throws Exception {
		UUID product = UUID.randomUUID();
		this.replicaA.getBean(StockLevels.class).setOnHand(product, 1000);
		Map<String, MessageEnvelope> commands = new HashMap<>();
		for (int i = 0; i < 90; i++) {
			UUID order = UUID.randomUUID();
			commands.put(order.toString(), InventoryCommandsKafkaTests.reserve(order, product, 1));
		}
		String bootstrap = this.environment.getRequiredProperty("spring.kafka.bootstrap-servers");
		double reservedBefore = reserved(this.replicaA) + reserved(this.replicaB);

		try (KafkaSender sender = new KafkaSender(bootstrap);
				KafkaTopicRecorder replies = new KafkaTopicRecorder(bootstrap, this.topics.repliesTopic())) {
			commands.values().forEach((command) -> sender.send(this.topics.commandsTopic(), command));

			List<ConsumerRecord<String, String>> answers = replies
				.await((record) -> commands.containsKey(record.key()), 90, Duration.ofSeconds(60));
			// a second answer to any command would have been published by now; look a moment longer
			Thread.sleep(1000);
			answers = replies.records((record) -> commands.containsKey(record.key()));

			assertThat(answers).hasSize(90);
			assertThat(answers.stream().map((record) -> envelope(record).type()).collect(Collectors.toSet()))
				.containsExactly("StockReserved");
			assertThat(answers).extracting(ConsumerRecord::key).doesNotHaveDuplicates();
		}
		assertThat(this.jdbc.sql("SELECT reserved FROM stock WHERE product_id = :id")
			.param("id", product)
			.query(Integer.class)
			.single()).isEqualTo(90);
		assertThat(this.jdbc.sql("SELECT count(*) FROM inbox_message WHERE consumer = :consumer AND message_id IN (:ids)")
			.param("consumer", InventoryCommands.CONSUMER)
			.param("ids", commands.values().stream().map(MessageEnvelope::id).toList())
			.query(Long.class)
			.single()).isEqualTo(90);
		double byA = reserved(this.replicaA);
		double byB = reserved(this.replicaB);
		assertThat(byA + byB - reservedBefore).as("reservations made, counted per replica").isEqualTo(90);
		assertThat(byA).as("replica A took part").isPositive();
		assertThat(byB).as("replica B took part").isPositive();
	}

	@Test
	void aWatcherOnOneReplicaSeesTheChangesMadeOnTheOther() throws Exception {
		UUID product = UUID.randomUUID();
		StockLevels onA = this.replicaA.getBean(StockLevels.class);
		StockLevels onB = this.replicaB.getBean(StockLevels.class);
		onA.setOnHand(product, 1);
		ManagedChannel toA = channel(this.replicaA);
		ManagedChannel toB = channel(this.replicaB);
		try {
			BlockingQueue<StockChanged> watchingA = watch(toA, product);
			BlockingQueue<StockChanged> watchingB = watch(toB, product);
			// The feeds start at the end of the topic once their consumers are placed; from the first change of
			// B that the watcher on A receives, every later one arrives.
			int onHand = awaitFeedLive(onB, product, watchingA, 2);
			onHand = awaitFeedLive(onA, product, watchingB, onHand + 1);
			// Both feeds are live and the watcher on B has read up to the last probe; let A's catch up too.
			drainUntil(watchingA, onHand);

			onB.setOnHand(product, 500);
			onA.setOnHand(product, 600);

			for (BlockingQueue<StockChanged> watcher : List.of(watchingA, watchingB)) {
				assertThat(next(watcher).getOnHand()).as("changed on B").isEqualTo(500);
				assertThat(next(watcher).getOnHand()).as("changed on A").isEqualTo(600);
				assertThat(watcher.poll(300, TimeUnit.MILLISECONDS)).as("each change once").isNull();
			}
		}
		finally {
			toA.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
			toB.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
	}

	/**
	 * Changes the product on one replica until the watcher has received the latest change (reading the watcher
	 * up to it); returns that change's on hand.
	 */
	private static int awaitFeedLive(StockLevels levels, UUID product, BlockingQueue<StockChanged> watcher, int from)
			throws InterruptedException {
		Instant deadline = Instant.now().plusSeconds(60);
		for (int onHand = from; Instant.now().isBefore(deadline); onHand++) {
			levels.setOnHand(product, onHand);
			StockChanged seen;
			do {
				seen = watcher.poll(500, TimeUnit.MILLISECONDS);
			}
			while (seen != null && seen.getOnHand() != onHand);
			if (seen != null) {
				return onHand;
			}
		}
		return fail("the watcher saw none of the other replica's changes within 60 s");
	}

	private static void drainUntil(BlockingQueue<StockChanged> watcher, int onHand) throws InterruptedException {
		while (next(watcher).getOnHand() != onHand) {
			// an older probe change
		}
	}

	private static StockChanged next(BlockingQueue<StockChanged> watcher) throws InterruptedException {
		StockChanged change = watcher.poll(15, TimeUnit.SECONDS);
		if (change == null) {
			fail("no stock change within 15 s");
		}
		return change;
	}

	private static BlockingQueue<StockChanged> watch(ManagedChannel channel, UUID product) {
		BlockingQueue<StockChanged> received = new LinkedBlockingQueue<>();
		InventoryServiceGrpc.newStub(GrpcTokens.withToken(channel, GrpcTokens.orderService()))
			.withDeadlineAfter(2, TimeUnit.MINUTES)
			.watchStock(WatchStockRequest.newBuilder().addProductIds(product.toString()).build(),
					new StreamObserver<>() {
						@Override
						public void onNext(StockChanged value) {
							received.add(value);
						}

						// A stream that ends early shows as changes that never arrive, which the test reports.
						@Override
						public void onError(Throwable error) {
						}

						@Override
						public void onCompleted() {
						}
					});
		return received;
	}

	private static ManagedChannel channel(ConfigurableApplicationContext replica) {
		int port = replica.getBean(GrpcServerLifecycle.class).getPort();
		return ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
	}

	private static Set<?> assigned(ConfigurableApplicationContext replica) {
		var partitions = replica.getBean(KafkaListenerEndpointRegistry.class)
			.getListenerContainer("inventory-commands")
			.getAssignedPartitions();
		return (partitions == null) ? Set.of() : Set.copyOf(partitions);
	}

	private static double reserved(ConfigurableApplicationContext replica) {
		return replica.getBean(MeterRegistry.class).get("inventory.reservations").tag("outcome", "reserved").counter()
			.count();
	}

}

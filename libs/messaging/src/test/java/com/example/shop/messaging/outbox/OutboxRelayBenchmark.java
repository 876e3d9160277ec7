package com.example.shop.messaging.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.transaction.support.TransactionTemplate;

import com.example.shop.messaging.KafkaTestConsumer;
import com.example.shop.messaging.MessagingProperties;
import com.example.shop.messaging.TestMessages;
import com.example.shop.messaging.inbox.Inbox;
import com.example.shop.messaging.kafka.KafkaOutboxPublisher;
import com.example.shop.messaging.kafka.KafkaTopics;
import com.example.shop.messaging.rabbit.RabbitOutboxPublisher;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How many messages a second one relay drains from a backlog to a real broker: not a test of behaviour but a
 * measurement, printed one line per channel. Not part of the default run (the class name is not a test's, and
 * it runs only with {@code -Dbench}):
 *
 * <pre>./mvnw -ntp -o -q -pl libs/messaging -am test -Dtest=OutboxRelayBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dbench</pre>
 *
 * ({@code -am} builds the modules it needs, which have no such test, hence the last but one flag.)
 * <p>
 * The backlog is {@value #MESSAGES} rows of 2,000 orders with 1 to 4 rows each, every order's
 * rows side by side (as a saga step enqueues them), so batches hold several rows of one order. Each channel is
 * warmed up with a small backlog first, then drained {@value #RUNS} times; the line gives the median and every
 * run. Brokers are the test infrastructure's (the in-JVM KRaft broker without Docker, the local RabbitMQ),
 * with the test settings of {@code application.yml} and the production batch size. The Kafka producer's
 * {@code linger.ms} and {@code compression.type} are measured too, one line each.
 */
@EnabledIfSystemProperty(named = "bench", matches = ".*")
@SpringBootTest(classes = OutboxRelayBenchmark.App.class, properties = "shop.messaging.outbox.relay-enabled=false")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA, Infrastructure.RABBITMQ })
class OutboxRelayBenchmark {

	static final int MESSAGES = 5_000;

	static final int WARM_UP_MESSAGES = 500;

	static final int RUNS = 3;

	static final String EXCHANGE = "bench";

	static final String QUEUE = "bench.sink";

	@Autowired
	TransactionTemplate transaction;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	KafkaOutboxPublisher kafka;

	@Autowired
	RabbitOutboxPublisher rabbit;

	@Autowired
	Inbox inbox;

	@Autowired
	AmqpAdmin rabbitAdmin;

	@Autowired
	MessagingProperties properties;

	@Value("${spring.kafka.bootstrap-servers}")
	String bootstrapServers;

	@Value("bench-${test.namespace}")
	String topic;

	@Test
	void drainToKafkaAndToRabbitMq() {
		List<String> lines = new ArrayList<>();
		lines.add(measure("kafka", Channel.KAFKA, this.kafka));
		lines.add(measure("rabbit", Channel.RABBIT, this.rabbit));
		// The relay's producer settings, each against the same backlog: do lingering and compression pay now that
		// a wave of records is sent at once?
		int kafkaRuns = 1;
		for (int linger : List.of(0, 5)) {
			for (String compression : List.of("none", "lz4")) {
				Map<String, Object> producer = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
						this.bootstrapServers, ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
						true, ProducerConfig.LINGER_MS_CONFIG, linger, ProducerConfig.COMPRESSION_TYPE_CONFIG, compression));
				KafkaOutboxPublisher variant = new KafkaOutboxPublisher(producer, this.properties.outbox().publishTimeout());
				try {
					lines.add(measure("kafka linger.ms=" + linger + " compression.type=" + compression, Channel.KAFKA,
							variant));
					kafkaRuns++;
				}
				finally {
					variant.destroy();
				}
			}
		}
		try (KafkaTestConsumer consumer = new KafkaTestConsumer(this.bootstrapServers, this.topic)) {
			int expected = kafkaRuns * (WARM_UP_MESSAGES + RUNS * MESSAGES);
			assertThat(consumer.pollUntil(expected, Duration.ofSeconds(120))).as("records on the topic").hasSize(expected);
		}
		assertThat(this.rabbitAdmin.getQueueInfo(QUEUE).getMessageCount()).as("messages in the queue")
			.isEqualTo(WARM_UP_MESSAGES + RUNS * MESSAGES);
		lines.forEach(System.out::println);
	}

	private String measure(String label, Channel channel, OutboxPublisher publisher) {
		drain(channel, publisher, WARM_UP_MESSAGES);
		List<Double> rates = new ArrayList<>();
		for (int run = 0; run < RUNS; run++) {
			rates.add(drain(channel, publisher, MESSAGES));
		}
		List<Double> sorted = rates.stream().sorted().toList();
		return String.format(Locale.ROOT, "relay benchmark %-40s %d messages: %5.0f messages/s (runs: %s)", label,
				MESSAGES, sorted.get(RUNS / 2),
				String.join(", ", rates.stream().map((rate) -> String.format(Locale.ROOT, "%.0f", rate)).toList()));
	}

	/** Enqueues {@code count} rows, starts a relay, and returns the messages a second until none is unsent. */
	private double drain(Channel channel, OutboxPublisher publisher, int count) {
		enqueue(channel, count);
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		OutboxRepository repository = new OutboxRepository(this.jdbc);
		MessagingProperties.Outbox settings = this.properties.outbox();
		OutboxRelay relay = new OutboxRelay("bench", repository, this.transaction, List.of(publisher), settings,
				new OutboxMetrics(repository, meters, "bench"),
				new OutboxHousekeeping(repository, this.inbox, settings.retention(), Duration.ofDays(30)));
		long started = System.nanoTime();
		relay.start();
		try {
			while (published(meters, channel) < count) {
				Thread.sleep(2);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		finally {
			relay.stop();
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		assertThat(unsent()).isZero();
		assertThat(meters.find("outbox.publish.failures").counter()).as("failures").isNull();
		return count / seconds;
	}

	/** {@code count} rows of orders with 1, 2, 3, 4, 1, 2, ... rows each, each order's rows in sequence. */
	private void enqueue(Channel channel, int count) {
		OutboxRepository repository = new OutboxRepository(this.jdbc);
		this.transaction.executeWithoutResult((status) -> {
			int enqueued = 0;
			for (int order = 0; enqueued < count; order++) {
				String orderId = UUID.randomUUID().toString();
				for (int sequence = 0; sequence <= order % 4 && enqueued < count; sequence++, enqueued++) {
					var envelope = TestMessages.envelope(orderId, "ok", sequence);
					repository.insert((channel == Channel.KAFKA) ? OutgoingMessage.kafka(this.topic, envelope)
							: OutgoingMessage.rabbit(EXCHANGE, "bench." + sequence, envelope));
				}
			}
		});
	}

	private static double published(SimpleMeterRegistry meters, Channel channel) {
		var counter = meters.find("outbox.published").tag("channel", channel.column()).counter();
		return (counter == null) ? 0 : counter.count();
	}

	private long unsent() {
		return this.jdbc.sql("SELECT count(*) FROM outbox_message WHERE sent_at IS NULL").query(Long.class).single();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		KafkaAdmin.NewTopics benchTopics(@Value("bench-${test.namespace}") String topic) {
			return KafkaTopics.withDeadLetters(3, topic);
		}

		@Bean
		TopicExchange benchExchange() {
			return new TopicExchange(EXCHANGE, true, false);
		}

		@Bean
		Queue benchSink() {
			return QueueBuilder.durable(QUEUE).build();
		}

		@Bean
		Binding benchBinding() {
			return BindingBuilder.bind(benchSink()).to(benchExchange()).with("bench.#");
		}

	}

}

package com.example.shop.testsupport;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shared servers are real, reachable, and each caller's slice is isolated from the others. */
class TestInfrastructureTests {

	@Test
	void choosesThePathTheEnvironmentAsksFor() {
		String override = System.getenv(InfrastructureMode.OVERRIDE_VARIABLE);
		InfrastructureMode mode = TestInfrastructure.mode();
		if ("local".equalsIgnoreCase(override)) {
			assertThat(mode).isEqualTo(InfrastructureMode.LOCAL);
		}
		else if ("testcontainers".equalsIgnoreCase(override)) {
			assertThat(mode).isEqualTo(InfrastructureMode.TESTCONTAINERS);
		}
		// The servers below must in any case be the ones of that mode: a container is never on 5432 of
		// this host, the local PostgreSQL is (unless redirected with PLATFORM_TEST_PG_PORT).
		if (mode == InfrastructureMode.LOCAL) {
			assertThat(TestInfrastructure.postgres().port())
				.isEqualTo(Integer.parseInt(PostgresServer.env("PLATFORM_TEST_PG_PORT", "5432")));
		}
	}

	@Test
	void everyCallerGetsAnEmptyDatabaseOfItsOwn() throws Exception {
		DatabaseCoordinates first = TestInfrastructure.postgres().createDatabase("Isolation Check");
		DatabaseCoordinates second = TestInfrastructure.postgres().createDatabase("Isolation Check");
		assertThat(first.databaseName()).startsWith("t_isolation_check_").isNotEqualTo(second.databaseName());

		try (Connection connection = DriverManager.getConnection(first.jdbcUrl(), first.username(), first.password())) {
			connection.createStatement().execute("CREATE TABLE marker (id int)");
		}
		try (Connection connection = DriverManager.getConnection(second.jdbcUrl(), second.username(),
				second.password());
				ResultSet rows = connection.createStatement().executeQuery("SELECT to_regclass('marker') IS NULL")) {
			rows.next();
			assertThat(rows.getBoolean(1)).as("table of the first database is invisible in the second").isTrue();
		}
	}

	@Test
	void kafkaIsARealBrokerThatCarriesRecords() throws Exception {
		String bootstrap = TestInfrastructure.kafka().bootstrapServers();
		String topic = "infra-check." + TestInfrastructure.newNamespace("kafka");
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
			admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
		}
		Properties producerConfig = new Properties();
		producerConfig.putAll(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG,
				"all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true));
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
				new StringSerializer())) {
			producer.send(new ProducerRecord<>(topic, "order-1", "hello")).get();
		}
		Properties consumerConfig = new Properties();
		consumerConfig.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG,
				topic, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
				new StringDeserializer())) {
			consumer.subscribe(List.of(topic));
			ConsumerRecords<String, String> records = ConsumerRecords.empty();
			for (int i = 0; i < 20 && records.isEmpty(); i++) {
				records = consumer.poll(Duration.ofMillis(500));
			}
			assertThat(records).singleElement().satisfies(record -> {
				assertThat(record.key()).isEqualTo("order-1");
				assertThat(record.value()).isEqualTo("hello");
			});
		}
	}

	@Test
	void kafkaRefusesTopicsNobodyDeclared() {
		String bootstrap = TestInfrastructure.kafka().bootstrapServers();
		Properties producerConfig = new Properties();
		producerConfig.putAll(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.MAX_BLOCK_MS_CONFIG,
				2000));
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
				new StringSerializer())) {
			assertThatThrownBy(() -> producer.send(new ProducerRecord<>("undeclared." + System.nanoTime(), "x")).get())
				.hasMessageContaining("not present in metadata");
		}
	}

	@Test
	void everyCallerGetsAVirtualHostOfItsOwn() throws Exception {
		RabbitBroker rabbit = TestInfrastructure.rabbit();
		String first = rabbit.createVirtualHost(TestInfrastructure.newNamespace("rabbit-a"));
		String second = rabbit.createVirtualHost(TestInfrastructure.newNamespace("rabbit-b"));

		try (com.rabbitmq.client.Connection connection = connect(rabbit, first)) {
			Channel channel = connection.createChannel();
			channel.queueDeclare("orders", true, false, false, Map.of("x-queue-type", "quorum"));
			channel.confirmSelect();
			channel.basicPublish("", "orders", null, "hello".getBytes(StandardCharsets.UTF_8));
			channel.waitForConfirmsOrDie(5000);
			GetResponse message = null;
			for (int i = 0; i < 20 && message == null; i++) {
				message = channel.basicGet("orders", true);
				if (message == null) {
					Thread.sleep(100);
				}
			}
			assertThat(message).isNotNull();
			assertThat(new String(message.getBody(), StandardCharsets.UTF_8)).isEqualTo("hello");
		}
		try (com.rabbitmq.client.Connection connection = connect(rabbit, second)) {
			Channel channel = connection.createChannel();
			assertThatThrownBy(() -> channel.queueDeclarePassive("orders"))
				.as("the queue of the first virtual host does not exist in the second")
				.hasStackTraceContaining("NOT_FOUND");
		}
	}

	@Test
	void redisAnswers() throws Exception {
		RedisServer redis = TestInfrastructure.redis();
		try (Socket socket = new Socket(redis.host(), redis.port())) {
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] reply = new byte[7];
			int read = in.readNBytes(reply, 0, 7);
			assertThat(new String(reply, 0, read, StandardCharsets.US_ASCII)).isEqualTo("+PONG\r\n");
		}
	}

	@Test
	void namespacesAreUniqueAndSafeInEveryName() {
		String first = TestInfrastructure.newNamespace("OrderSagaIT$Nested  Class");
		String second = TestInfrastructure.newNamespace("OrderSagaIT$Nested  Class");
		assertThat(first).isNotEqualTo(second).matches("[a-z0-9-]+").startsWith("ordersagait-nested-class-");
	}

	private static com.rabbitmq.client.Connection connect(RabbitBroker rabbit, String virtualHost) throws Exception {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(rabbit.host());
		factory.setPort(rabbit.amqpPort());
		factory.setUsername(rabbit.username());
		factory.setPassword(rabbit.password());
		factory.setVirtualHost(virtualHost);
		return factory.newConnection();
	}

}

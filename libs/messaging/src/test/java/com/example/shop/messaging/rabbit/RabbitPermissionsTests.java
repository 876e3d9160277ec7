package com.example.shop.messaging.rabbit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.amqp.AmqpAuthenticationException;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import com.example.shop.messaging.outbox.PublishFailedException;
import com.example.shop.testsupport.RabbitBroker;
import com.example.shop.testsupport.RabbitUsers;
import com.example.shop.testsupport.RabbitUsers.RabbitUser;
import com.example.shop.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The services' RabbitMQ users with exactly the permissions of deploy/rabbitmq/permissions, on a real broker
 * (a virtual host of this class's own): each one declares its topology the way libs/messaging does, publishes
 * what it publishes, retries and replays through its queues' {@code Q.redelivery} and consumes its queues; and
 * the broker refuses each of them what belongs to another service. The queue and exchange names are those of
 * docs/messaging.md.
 */
class RabbitPermissionsTests {

	private static final RabbitQueueTopology ORDER_REPLIES = RabbitQueueTopology.direct("order.payment-replies",
			"payment.replies", "order-service");

	private static final RabbitQueueTopology PAYMENT_COMMANDS = RabbitQueueTopology.direct("payment.commands",
			"payment.commands", "authorize", "capture", "void", "refund");

	private static final RabbitQueueTopology EMAILS = RabbitQueueTopology.direct("notification.email",
			"notification.email", "email");

	private static final Map<String, RabbitQueueTopology> CONSUMES = Map.of("order-service", ORDER_REPLIES,
			"payment-service", PAYMENT_COMMANDS, "notification-service", EMAILS);

	private static final RabbitBroker broker = TestInfrastructure.rabbit();

	private static final String virtualHost = broker
		.createVirtualHost(TestInfrastructure.newNamespace("rabbit-permissions"));

	private static final Map<String, CachingConnectionFactory> connections = new HashMap<>();

	@BeforeAll
	static void createTheServicesUsers() {
		List<RabbitUser> users = RabbitUsers.all();
		assertThat(users).extracting(RabbitUser::name).containsExactlyInAnyOrderElementsOf(CONSUMES.keySet());
		for (RabbitUser user : users) {
			// Users are broker-wide: named after this class's virtual host, with permissions on it alone.
			String name = virtualHost + "-" + user.name();
			broker.createUser(name, user.devPassword(), virtualHost, user.configure(), user.write(), user.read());
			connections.put(user.name(), connectionAs(name, user.devPassword()));
		}
		// Each service declares what it consumes, as libs/messaging does at start; producers declare nothing.
		for (Map.Entry<String, RabbitQueueTopology> consumer : CONSUMES.entrySet()) {
			declare(connections.get(consumer.getKey()), consumer.getValue());
		}
	}

	@AfterAll
	static void closeConnections() {
		connections.values().forEach(CachingConnectionFactory::destroy);
	}

	@Test
	void eachServicePublishesWhatItPublishesAndConsumesItsOwnQueues() throws Exception {
		send("order-service", "payment.commands", "authorize");
		send("payment-service", "payment.replies", "order-service");
		send("notification-service", "notification.email", "email");

		for (Map.Entry<String, RabbitQueueTopology> consumer : CONSUMES.entrySet()) {
			Message received = new RabbitTemplate(connections.get(consumer.getKey()))
				.receive(consumer.getValue().queue(), 5000);
			assertThat(received).as("%s reads %s", consumer.getKey(), consumer.getValue().queue()).isNotNull();
		}
	}

	/** What RetryTierRecoverer and a dead-letter replay publish: to Q.redelivery, a tier's name or Q's as key. */
	@Test
	void eachServiceRetriesAndReplaysThroughItsOwnQueuesRedeliveryExchange() throws Exception {
		for (Map.Entry<String, RabbitQueueTopology> consumer : CONSUMES.entrySet()) {
			RabbitQueueTopology queue = consumer.getValue();
			send(consumer.getKey(), queue.redeliveryExchange(), queue.retryQueue(1));
			send(consumer.getKey(), queue.redeliveryExchange(), queue.queue());
			Message replayed = new RabbitTemplate(connections.get(consumer.getKey())).receive(queue.queue(), 5000);
			assertThat(replayed).as("replayed into %s", queue.queue()).isNotNull();
		}
	}

	@ParameterizedTest(name = "{0} may not publish to ''{1}'' (key {2})")
	@CsvSource({
			// a forged payment reply, or a command to itself; the default exchange reaches any queue by name
			"order-service, payment.replies, order-service", "order-service, '', payment.commands",
			"order-service, payment.commands.redelivery, payment.commands",
			"payment-service, order.payment-replies.redelivery, order.payment-replies",
			"payment-service, '', order.payment-replies", "notification-service, payment.commands, authorize",
			"notification-service, payment.replies, order-service" })
	void aServiceCannotPublishToWhatIsNotItsToPublish(String service, String exchange, String routingKey) {
		// Every exchange here exists: the nack is RabbitMQ's ACCESS_REFUSED, which closes the channel (the reason
		// the confirm carries is that text or the channel's closing, whichever reaches the client first).
		assertThatThrownBy(() -> send(service, exchange, routingKey)).isInstanceOf(PublishFailedException.class)
			.hasMessageStartingWith("RabbitMQ refused it (nack)");
	}

	@ParameterizedTest(name = "{0} may not read {1}")
	@CsvSource({ "order-service, payment.commands", "order-service, notification.email",
			"payment-service, order.payment-replies",
			"notification-service, payment.commands.dlq" })
	void aServiceCannotConsumeAnotherServicesQueue(String service, String queue) {
		assertRefused(service, channel -> channel.basicGet(queue, false));
	}

	@Test
	void aServiceCannotDeleteOrDeclareWhatIsNotItsOwn() {
		assertRefused("order-service", channel -> channel.queueDelete("payment.commands"));
		assertRefused("order-service", channel -> channel.exchangeDelete("payment.commands"));
		assertRefused("payment-service", channel -> channel.queuePurge("order.payment-replies"));
		assertRefused("notification-service", channel -> channel.queueDeclare("notification-audit", true, false,
				false, Map.of()));
		assertRefused("notification-service",
				channel -> channel.queueBind("notification.email", "payment.commands", "authorize"));
		assertThat(new RabbitAdmin(connections.get("payment-service")).getQueueInfo("payment.commands"))
			.as("still there").isNotNull();
	}

	@Test
	void aWrongPasswordIsRefusedAtTheDoor() {
		CachingConnectionFactory wrong = connectionAs(virtualHost + "-order-service", "guessed");
		try {
			assertThatThrownBy(wrong::createConnection).isInstanceOf(AmqpAuthenticationException.class);
		}
		finally {
			wrong.destroy();
		}
	}

	private static void send(String service, String exchange, String routingKey) throws PublishFailedException {
		Message message = MessageBuilder.withBody("{}".getBytes(StandardCharsets.UTF_8))
			.setMessageId(UUID.randomUUID().toString())
			.build();
		new ConfirmedRabbitSender(connections.get(service), Duration.ofSeconds(5)).send(exchange, routingKey, message,
				message.getMessageProperties().getMessageId());
	}

	private static void declare(CachingConnectionFactory connection, RabbitQueueTopology topology) {
		RabbitAdmin admin = new RabbitAdmin(connection);
		List<Declarable> declarables = RabbitTopologyDeclarations
			.of(List.of(topology), List.of(Duration.ofSeconds(1), Duration.ofSeconds(5)), 5, 1000)
			.getDeclarables()
			.stream()
			.toList();
		declarables.stream().filter(Exchange.class::isInstance).forEach(d -> admin.declareExchange((Exchange) d));
		declarables.stream().filter(Queue.class::isInstance).forEach(d -> admin.declareQueue((Queue) d));
		declarables.stream().filter(Binding.class::isInstance).forEach(d -> admin.declareBinding((Binding) d));
	}

	private static void assertRefused(String service, ChannelOperation operation) {
		try (Connection connection = connections.get(service).getRabbitConnectionFactory().newConnection()) {
			Channel channel = connection.createChannel();
			assertThatThrownBy(() -> operation.apply(channel)).isInstanceOf(IOException.class)
				.cause()
				.isInstanceOf(ShutdownSignalException.class)
				.hasMessageContaining("ACCESS_REFUSED");
		}
		catch (Exception ex) {
			throw new AssertionError(ex);
		}
	}

	private static CachingConnectionFactory connectionAs(String user, String password) {
		CachingConnectionFactory factory = new CachingConnectionFactory(broker.host(), broker.amqpPort());
		factory.setUsername(user);
		factory.setPassword(password);
		factory.setVirtualHost(virtualHost);
		factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
		factory.setPublisherReturns(true);
		return factory;
	}

	@FunctionalInterface
	private interface ChannelOperation {

		void apply(Channel channel) throws IOException;

	}

}

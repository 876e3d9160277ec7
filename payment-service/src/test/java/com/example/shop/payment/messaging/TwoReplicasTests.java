package com.example.shop.payment.messaging;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.payment.PaymentServiceApplication;
import com.example.shop.payment.messaging.OrderServiceStandIn.Received;
import com.example.shop.payment.Payment;
import com.example.shop.payment.PaymentStatus;
import com.example.shop.payment.Payments;
import com.example.shop.payment.provider.SimulatorRecords;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

import static com.example.shop.payment.provider.SimulatedPaymentProvider.TOKEN_OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas of payment-service (this test's context and a second application started beside it) on one
 * database and one queue, each with a single consumer. The provider takes 400 ms per call here, so the two
 * copies of a command are processed at the same time, one by each replica: one payment, one charge, one
 * reply.
 */
@SpringBootTest(properties = { TwoReplicasTests.SLOW_PROVIDER, TwoReplicasTests.ONE_CONSUMER })
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.RABBITMQ })
class TwoReplicasTests {

	static final String SLOW_PROVIDER = "shop.payment.simulator.latency=400ms";

	static final String ONE_CONSUMER = "spring.rabbitmq.listener.simple.concurrency=1";

	private static ConfigurableApplicationContext secondReplica;

	@Autowired
	Environment environment;

	@Autowired
	ConnectionFactory connectionFactory;

	@Autowired
	AmqpAdmin admin;

	@Autowired
	Payments payments;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MeterRegistry firstReplicaMeters;

	OrderServiceStandIn orderService;

	SimulatorRecords simulator;

	@BeforeEach
	void setUp() {
		if (secondReplica == null) {
			secondReplica = startSecondReplica();
		}
		this.orderService = new OrderServiceStandIn(this.connectionFactory);
		this.simulator = new SimulatorRecords(this.jdbc);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.admin.getQueueInfo("payment.commands").getConsumerCount() == 2);
	}

	@AfterAll
	static void stopSecondReplica() {
		if (secondReplica != null) {
			secondReplica.close();
			secondReplica = null;
		}
	}

	@Test
	void theSameAuthorizationDeliveredToBothReplicasAtOnceMakesOnePaymentOneChargeAndOneReply() {
		UUID orderId = UUID.randomUUID();
		double firstBefore = authorizations(this.firstReplicaMeters);
		double secondBefore = authorizations(secondReplicaMeters());
		MessageEnvelope command = OrderServiceStandIn.command("AuthorizePayment", orderId,
				Map.of("orderId", orderId, "amount", new BigDecimal("42.90"), "currency", "EUR",
						"token", TOKEN_OK));

		this.orderService.send("authorize", command);
		this.orderService.send("authorize", command);

		Received reply = this.orderService.awaitReply(orderId, "PaymentAuthorized");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> duplicates(this.firstReplicaMeters) + duplicates(secondReplicaMeters()) >= 1);
		awaitOutboxSent();

		Payment payment = this.payments.findByOrderId(orderId).orElseThrow();
		assertThat(payment.status()).isEqualTo(PaymentStatus.AUTHORIZED);
		assertThat(reply.payload()).containsEntry("paymentId", payment.id().toString());
		assertThat(this.simulator.paymentRows(orderId)).isEqualTo(1);
		assertThat(this.simulator.charges(payment.id())).isEqualTo(1);
		assertThat(this.orderService.repliesOf(orderId)).hasSize(1);
		assertThat(authorizations(this.firstReplicaMeters) - firstBefore).as("copies the first replica handled")
			.isEqualTo(1);
		assertThat(authorizations(secondReplicaMeters()) - secondBefore).as("copies the second replica handled")
			.isEqualTo(1);
	}

	/** Two different commands for one order (a re-sent authorization), one on each replica: still one payment. */
	@Test
	void twoAuthorizationsOfOneOrderOnBothReplicasAtOnceMakeOnePaymentAndOneChargeAndAnswerBothAlike() {
		UUID orderId = UUID.randomUUID();

		this.orderService.authorize(orderId, "42.90", TOKEN_OK);
		this.orderService.authorize(orderId, "42.90", TOKEN_OK);

		List<Received> replies = await().atMost(Duration.ofSeconds(20))
			.until(() -> this.orderService.repliesOf(orderId, "PaymentAuthorized"), (found) -> found.size() == 2);
		Payment payment = this.payments.findByOrderId(orderId).orElseThrow();
		assertThat(replies).extracting((reply) -> reply.payload().get("paymentId"))
			.containsOnly(payment.id().toString());
		assertThat(this.simulator.paymentRows(orderId)).isEqualTo(1);
		assertThat(this.simulator.charges(payment.id())).isEqualTo(1);
	}

	/** The same application on the same database and virtual host: a second replica, without a web server. */
	private ConfigurableApplicationContext startSecondReplica() {
		List<String> shared = List.of("spring.datasource.url", "spring.datasource.username", "spring.datasource.password",
				"spring.rabbitmq.host", "spring.rabbitmq.port", "spring.rabbitmq.username", "spring.rabbitmq.password",
				"spring.rabbitmq.virtual-host");
		List<String> arguments = new ArrayList<>();
		for (String property : shared) {
			arguments.add("--" + property + "=" + this.environment.getProperty(property, ""));
		}
		arguments.add("--" + SLOW_PROVIDER);
		arguments.add("--" + ONE_CONSUMER);
		return new SpringApplicationBuilder(PaymentServiceApplication.class).profiles("test")
			.web(WebApplicationType.NONE)
			.run(arguments.toArray(String[]::new));
	}

	private static MeterRegistry secondReplicaMeters() {
		return secondReplica.getBean(MeterRegistry.class);
	}

	/** Authorization commands this replica's seam handled, whatever the outcome. */
	private static double authorizations(MeterRegistry meters) {
		return meters.find("payments").tag("operation", "authorize").counters().stream().mapToDouble(Counter::count).sum();
	}

	private static double duplicates(MeterRegistry meters) {
		Counter counter = meters.find("inbox.duplicates").tag("consumer", PaymentCommandsListener.CONSUMER).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private void awaitOutboxSent() {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.jdbc.sql("SELECT count(*) FROM outbox_message WHERE sent_at IS NULL")
				.query(Integer.class)
				.single() == 0);
	}

}

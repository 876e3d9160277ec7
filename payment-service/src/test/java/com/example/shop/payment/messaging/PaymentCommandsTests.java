package com.example.shop.payment.messaging;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.example.shop.messaging.envelope.EnvelopeHeaders;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.payment.messaging.OrderServiceStandIn.Received;
import com.example.shop.payment.Money;
import com.example.shop.payment.Payment;
import com.example.shop.payment.PaymentStatus;
import com.example.shop.payment.Payments;
import com.example.shop.payment.provider.SimulatorRecords;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

import static com.example.shop.payment.provider.SimulatedPaymentProvider.TOKEN_DECLINED;
import static com.example.shop.payment.provider.SimulatedPaymentProvider.TOKEN_FLAKY;
import static com.example.shop.payment.provider.SimulatedPaymentProvider.TOKEN_OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

/**
 * payment-service's RabbitMQ adapter against a real broker (a virtual host of this class's own) and a real
 * database, with a test playing order-service: every command type of docs/messaging.md and its reply, the
 * test tokens, redeliveries (one effect, one reply), and the declared topology. Retry tiers are 200 ms each
 * here (application-test.yml).
 */
@SpringBootTest(properties = "shop.payment.provider.timeout=1s")
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.RABBITMQ })
class PaymentCommandsTests {

	@Autowired
	ConnectionFactory connectionFactory;

	@Autowired
	Payments payments;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MeterRegistry meters;

	@Autowired
	AmqpAdmin admin;

	OrderServiceStandIn orderService;

	SimulatorRecords simulator;

	@BeforeEach
	void setUp() {
		this.orderService = new OrderServiceStandIn(this.connectionFactory);
		this.simulator = new SimulatorRecords(this.jdbc);
	}

	// ---- the test tokens ------------------------------------------------------------------------

	@Test
	void tokOkIsAnsweredWithPaymentAuthorizedAsTheContractDescribesIt() {
		UUID orderId = UUID.randomUUID();
		MessageEnvelope command = this.orderService.authorize(orderId, "42.90", TOKEN_OK);

		Received reply = this.orderService.awaitReply(orderId, "PaymentAuthorized");

		Payment payment = this.payments.findByOrderId(orderId).orElseThrow();
		assertThat(payment.status()).isEqualTo(PaymentStatus.AUTHORIZED);
		assertThat(payment.amount()).isEqualTo(new Money(new BigDecimal("42.90"), "EUR"));
		assertThat(reply.payload()).containsOnly(entry("orderId", orderId.toString()),
				entry("paymentId", payment.id().toString()));
		MessageEnvelope envelope = reply.envelope();
		assertThat(envelope.version()).isEqualTo(1);
		assertThat(envelope.source()).isEqualTo("payment-service");
		assertThat(envelope.correlationId()).isEqualTo(orderId.toString());
		assertThat(envelope.id()).isNotEqualTo(command.id());
		assertThat(reply.properties().getReceivedExchange()).isEqualTo("payment.replies");
		assertThat(reply.properties().getReceivedRoutingKey()).isEqualTo("order-service");
		assertThat(reply.messageId()).isEqualTo(envelope.id().toString());
		assertThat(reply.<String>header(EnvelopeHeaders.MESSAGE_TYPE)).isEqualTo("PaymentAuthorized");
		assertThat(reply.<String>header(EnvelopeHeaders.CORRELATION_ID)).isEqualTo(orderId.toString());
		assertThat(this.simulator.charges(payment.id())).isEqualTo(1);
	}

	/**
	 * customerId (optional in v1) is kept with the payment: its owner for GET /api/payments. An order-service
	 * that does not send it yet still gets its payment authorized, without an owner (admins only).
	 */
	@Test
	void theCustomerNamedByTheCommandIsKeptAndACommandWithoutOneIsStillAuthorized() {
		UUID customer = UUID.randomUUID();
		UUID named = UUID.randomUUID();
		this.orderService.authorize(named, customer, "12.00", TOKEN_OK);
		UUID unnamed = UUID.randomUUID();
		this.orderService.authorize(unnamed, null, "12.00", TOKEN_OK);

		this.orderService.awaitReply(named, "PaymentAuthorized");
		this.orderService.awaitReply(unnamed, "PaymentAuthorized");
		assertThat(this.payments.findByOrderId(named).orElseThrow().customerId()).isEqualTo(customer);
		assertThat(this.payments.findByOrderId(unnamed).orElseThrow().customerId()).isNull();
	}

	/** The amount is a JSON number; the largest one a payment holds arrives to the cent. */
	@Test
	void theAmountIsTakenToTheCent() {
		UUID orderId = UUID.randomUUID();
		this.orderService.authorize(orderId, "9999999999.99", TOKEN_OK);

		this.orderService.awaitReply(orderId, "PaymentAuthorized");

		assertThat(this.payments.findByOrderId(orderId).orElseThrow().amount())
			.isEqualTo(new Money(new BigDecimal("9999999999.99"), "EUR"));
	}

	@Test
	void tokDeclinedIsAnsweredWithPaymentDeclined() {
		UUID orderId = UUID.randomUUID();
		this.orderService.authorize(orderId, "42.90", TOKEN_DECLINED);

		Received reply = this.orderService.awaitReply(orderId, "PaymentDeclined");

		assertThat(reply.payload()).containsOnly(entry("orderId", orderId.toString()), entry("reason", "card_declined"));
		Payment payment = this.payments.findByOrderId(orderId).orElseThrow();
		assertThat(payment.status()).isEqualTo(PaymentStatus.DECLINED);
		assertThat(this.simulator.charges(payment.id())).isZero();
	}

	/**
	 * tok_flaky fails at the provider on the first two requests of a payment. The seam does not retry: each
	 * failure sends the command through a retry tier (200 ms here), and the third delivery is approved.
	 */
	@Test
	void tokFlakyIsAuthorizedThroughTheRetryTiersWithOnePaymentAndOneCharge() {
		UUID orderId = UUID.randomUUID();
		long start = System.nanoTime();
		this.orderService.authorize(orderId, "42.90", TOKEN_FLAKY);

		Received reply = this.orderService.awaitReply(orderId, "PaymentAuthorized");
		Duration took = Duration.ofNanos(System.nanoTime() - start);

		Payment payment = this.payments.findByOrderId(orderId).orElseThrow();
		assertThat(reply.payload()).containsEntry("paymentId", payment.id().toString());
		assertThat(this.simulator.authorizeCalls(payment.id())).as("one provider request per delivery").isEqualTo(3);
		assertThat(took).as("held by two retry tiers of 200 ms").isGreaterThanOrEqualTo(Duration.ofMillis(400));
		assertThat(this.simulator.paymentRows(orderId)).isEqualTo(1);
		assertThat(this.simulator.charges(payment.id())).isEqualTo(1);
		awaitOutboxSent();
		assertThat(this.orderService.repliesOf(orderId)).hasSize(1);
	}

	// ---- capture, void, refund ------------------------------------------------------------------

	@Test
	void captureAndThenRefundAreAnsweredWithPaymentCapturedAndPaymentRefunded() {
		UUID orderId = authorized();

		this.orderService.capture(orderId);
		Received captured = this.orderService.awaitReply(orderId, "PaymentCaptured");
		assertThat(this.payments.findByOrderId(orderId).orElseThrow().status()).isEqualTo(PaymentStatus.CAPTURED);

		this.orderService.refund(orderId);
		Received refunded = this.orderService.awaitReply(orderId, "PaymentRefunded");

		assertThat(captured.payload()).containsOnly(entry("orderId", orderId.toString()));
		assertThat(refunded.payload()).containsOnly(entry("orderId", orderId.toString()));
		Payment payment = this.payments.findByOrderId(orderId).orElseThrow();
		assertThat(payment.status()).isEqualTo(PaymentStatus.REFUNDED);
		assertThat(this.simulator.status(payment.id())).isEqualTo("REFUNDED");
	}

	@Test
	void voidIsAnsweredWithPaymentVoided() {
		UUID orderId = authorized();

		this.orderService.voidPayment(orderId);
		Received voided = this.orderService.awaitReply(orderId, "PaymentVoided");

		assertThat(voided.payload()).containsOnly(entry("orderId", orderId.toString()));
		Payment payment = this.payments.findByOrderId(orderId).orElseThrow();
		assertThat(payment.status()).isEqualTo(PaymentStatus.VOIDED);
		assertThat(this.simulator.status(payment.id())).isEqualTo("VOIDED");
	}

	/** The saga compensates before the authorization arrived: the late authorization is declined, never charged. */
	@Test
	void aVoidThatOvertakesTheAuthorizationGetsTheLateAuthorizationDeclined() {
		UUID orderId = UUID.randomUUID();
		this.orderService.voidPayment(orderId);
		this.orderService.awaitReply(orderId, "PaymentVoided");

		this.orderService.authorize(orderId, "42.90", TOKEN_OK);
		Received declined = this.orderService.awaitReply(orderId, "PaymentDeclined");

		assertThat(declined.payload()).containsOnly(entry("orderId", orderId.toString()),
				entry("reason", "authorization_voided"));
		Payment payment = this.payments.findByOrderId(orderId).orElseThrow();
		assertThat(this.simulator.authorizeCalls(payment.id())).isZero();
		assertThat(this.simulator.charges(payment.id())).isZero();
	}

	@Test
	void aStepThePaymentsStateDoesNotAllowIsAnsweredWithPaymentRefused() {
		UUID declined = UUID.randomUUID();
		this.orderService.authorize(declined, "42.90", TOKEN_DECLINED);
		this.orderService.awaitReply(declined, "PaymentDeclined");
		this.orderService.capture(declined);
		Received captureRefused = this.orderService.awaitReply(declined, "PaymentRefused");

		UUID captured = authorized();
		this.orderService.capture(captured);
		this.orderService.awaitReply(captured, "PaymentCaptured");
		this.orderService.voidPayment(captured);
		Received voidRefused = this.orderService.awaitReply(captured, "PaymentRefused");

		UUID unknown = UUID.randomUUID();
		this.orderService.refund(unknown);
		Received refundRefused = this.orderService.awaitReply(unknown, "PaymentRefused");

		assertThat(captureRefused.payload()).containsOnlyKeys("orderId", "operation", "status", "detail")
			.containsEntry("orderId", declined.toString())
			.containsEntry("operation", "capture")
			.containsEntry("status", "DECLINED");
		assertThat((String) captureRefused.payload().get("detail")).contains("is DECLINED; cannot capture");
		assertThat(voidRefused.payload()).containsEntry("operation", "void").containsEntry("status", "CAPTURED");
		assertThat(this.payments.findByOrderId(captured).orElseThrow().status()).isEqualTo(PaymentStatus.CAPTURED);
		assertThat(refundRefused.payload()).containsEntry("operation", "refund")
			.containsEntry("status", "")
			.containsKey("detail");
		assertThat(this.payments.findByOrderId(unknown)).isEmpty();
	}

	// ---- redeliveries ---------------------------------------------------------------------------

	/**
	 * Each command type three times with one id: two copies at once (two consumers race on them) and one
	 * after the answer. One state change each (the payment's version counts them), one charge, one reply.
	 */
	@Test
	void everyCommandTypeDeliveredAgainChangesNothingAndIsAnsweredOnce() {
		UUID orderId = UUID.randomUUID();
		Payment afterAuthorize = deliveredThreeTimes("authorize", OrderServiceStandIn.command("AuthorizePayment", orderId,
				Map.of("orderId", orderId, "amount", new BigDecimal("10.00"), "currency", "EUR", "token", TOKEN_OK)),
				"PaymentAuthorized");
		Payment afterCapture = deliveredThreeTimes("capture",
				OrderServiceStandIn.command("CapturePayment", orderId, Map.of("orderId", orderId)), "PaymentCaptured");
		Payment afterRefund = deliveredThreeTimes("refund",
				OrderServiceStandIn.command("RefundPayment", orderId, Map.of("orderId", orderId)), "PaymentRefunded");

		UUID voidedOrderId = authorized();
		Payment afterVoid = deliveredThreeTimes("void",
				OrderServiceStandIn.command("VoidPayment", voidedOrderId, Map.of("orderId", voidedOrderId)),
				"PaymentVoided");

		assertThat(afterAuthorize.status()).isEqualTo(PaymentStatus.AUTHORIZED);
		assertThat(afterAuthorize.version()).isEqualTo(1);
		assertThat(afterCapture.status()).isEqualTo(PaymentStatus.CAPTURED);
		assertThat(afterCapture.version()).isEqualTo(2);
		assertThat(afterRefund.status()).isEqualTo(PaymentStatus.REFUNDED);
		assertThat(afterRefund.version()).isEqualTo(3);
		assertThat(afterVoid.status()).isEqualTo(PaymentStatus.VOIDED);
		assertThat(afterVoid.version()).isEqualTo(2);
		assertThat(this.simulator.paymentRows(orderId)).isEqualTo(1);
		assertThat(this.simulator.charges(afterRefund.id())).isEqualTo(1);
		assertThat(this.orderService.repliesOf(orderId)).extracting((reply) -> reply.envelope().type())
			.containsExactlyInAnyOrder("PaymentAuthorized", "PaymentCaptured", "PaymentRefunded");
	}

	/**
	 * The crash the design is about: the seam recorded the outcome, then the process died before the inbox
	 * row and the reply committed. The redelivered command re-runs the seam, which answers from the database
	 * without asking the provider again, and the reply goes out once.
	 */
	@Test
	void aCommandRedeliveredAfterACrashBetweenTheProviderCallAndTheReplyIsAnsweredWithoutASecondCharge() {
		UUID orderId = UUID.randomUUID();
		// The first delivery's seam call, whose reply never committed:
		this.payments.authorize(orderId, OrderServiceStandIn.CUSTOMER, new BigDecimal("42.90"), "EUR", TOKEN_OK);
		Payment authorized = this.payments.findByOrderId(orderId).orElseThrow();

		this.orderService.authorize(orderId, "42.90", TOKEN_OK);
		Received reply = this.orderService.awaitReply(orderId, "PaymentAuthorized");

		assertThat(reply.payload()).containsEntry("paymentId", authorized.id().toString());
		assertThat(this.simulator.authorizeCalls(authorized.id())).isEqualTo(1);
		assertThat(this.simulator.charges(authorized.id())).isEqualTo(1);

		this.payments.capture(orderId);
		this.orderService.capture(orderId);
		this.orderService.awaitReply(orderId, "PaymentCaptured");

		assertThat(this.simulator.calls(authorized.id().toString(), "CAPTURE")).isEqualTo(1);
		assertThat(this.payments.findByOrderId(orderId).orElseThrow().version()).isEqualTo(2);
		awaitOutboxSent();
		assertThat(this.orderService.repliesOf(orderId)).hasSize(2);
	}

	// ---- topology -------------------------------------------------------------------------------

	@Test
	void theExchangesAreDirectAndTheCommandQueueIsAQuorumQueueWithRetryTiersAndAParkingQueue() {
		RabbitTemplate rabbit = new RabbitTemplate(this.connectionFactory);
		for (String exchange : List.of("payment.commands", "payment.replies")) {
			// RabbitMQ accepts a redeclaration of the same type and refuses another one.
			rabbit.execute((channel) -> channel.exchangeDeclare(exchange, "direct", true, false, null));
			assertThatThrownBy(() -> rabbit.execute((channel) -> channel.exchangeDeclare(exchange, "topic", true, false, null)))
				.as(exchange)
				.hasStackTraceContaining("inequivalent arg 'type'");
		}
		Map<String, Object> bounded = Map.of("x-queue-type", "quorum", "x-overflow", "reject-publish", "x-max-length",
				100_000);
		Map<String, Object> quorum = with(bounded, Map.of("x-dead-letter-strategy", "at-least-once"));
		Map<String, Map<String, Object>> expected = Map.of("payment.commands",
				with(quorum, Map.of("x-dead-letter-exchange", "payment.commands.dlx", "x-delivery-limit", 10)),
				"payment.commands.retry.3", with(quorum, Map.of("x-message-ttl", 200, "x-dead-letter-exchange",
						"payment.commands.redelivery", "x-dead-letter-routing-key", "payment.commands")),
				"payment.commands.dlq", bounded);
		expected.forEach((queue, arguments) -> rabbit
			.execute((channel) -> channel.queueDeclare(queue, true, false, false, arguments)));
		assertThat(this.admin.getQueueInfo("payment.commands").getConsumerCount()).as("listener concurrency").isEqualTo(4);
	}

	// ---- helpers --------------------------------------------------------------------------------

	/** An order whose payment is authorized (tok_ok), its reply received. */
	private UUID authorized() {
		UUID orderId = UUID.randomUUID();
		this.orderService.authorize(orderId, "10.00", TOKEN_OK);
		this.orderService.awaitReply(orderId, "PaymentAuthorized");
		return orderId;
	}

	private Payment deliveredThreeTimes(String routingKey, MessageEnvelope command, String replyType) {
		UUID orderId = UUID.fromString(command.correlationId());
		double duplicatesBefore = duplicates();
		this.orderService.send(routingKey, command);
		this.orderService.send(routingKey, command);
		this.orderService.awaitReply(orderId, replyType);
		await().atMost(Duration.ofSeconds(10)).until(() -> duplicates() >= duplicatesBefore + 1);
		Payment afterFirst = this.payments.findByOrderId(orderId).orElseThrow();
		Map<String, Integer> providerCallsBefore = providerCalls(afterFirst);

		this.orderService.send(routingKey, command);
		await().atMost(Duration.ofSeconds(10)).until(() -> duplicates() >= duplicatesBefore + 2);

		awaitOutboxSent();
		assertThat(this.orderService.repliesOf(orderId, replyType)).as(command.type() + " answered once").hasSize(1);
		assertThat(this.jdbc.sql("SELECT count(*) FROM outbox_message WHERE correlation_id = :order AND message_type = :type")
			.param("order", orderId.toString())
			.param("type", replyType)
			.query(Integer.class)
			.single()).isEqualTo(1);
		Payment afterAll = this.payments.findByOrderId(orderId).orElseThrow();
		assertThat(afterAll.version()).as("the late copy changed nothing").isEqualTo(afterFirst.version());
		assertThat(providerCalls(afterAll)).as("the late copy never reached the provider").isEqualTo(providerCallsBefore);
		return afterAll;
	}

	private Map<String, Integer> providerCalls(Payment payment) {
		Map<String, Integer> calls = new HashMap<>();
		for (String operation : List.of("AUTHORIZE", "CAPTURE", "VOID", "REFUND")) {
			calls.put(operation, this.simulator.calls(payment.id().toString(), operation));
		}
		return calls;
	}

	private double duplicates() {
		Counter counter = this.meters.find("inbox.duplicates").tag("consumer", PaymentCommandsListener.CONSUMER).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private void awaitOutboxSent() {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.jdbc.sql("SELECT count(*) FROM outbox_message WHERE sent_at IS NULL")
				.query(Integer.class)
				.single() == 0);
	}

	private static Map<String, Object> with(Map<String, Object> base, Map<String, Object> more) {
		Map<String, Object> merged = new HashMap<>(base);
		merged.putAll(more);
		return merged;
	}

}

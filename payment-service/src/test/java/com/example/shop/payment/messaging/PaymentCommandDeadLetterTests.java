package com.example.shop.payment.messaging;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import com.example.shop.messaging.envelope.MalformedMessageException;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.MessageEnvelopeCodec;
import com.example.shop.messaging.rabbit.RetryHeaders;
import com.example.shop.payment.messaging.OrderServiceStandIn.Received;
import com.example.shop.payment.Payment;
import com.example.shop.payment.PaymentStatus;
import com.example.shop.payment.Payments;
import com.example.shop.payment.provider.SimulatorRecords;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

import static com.example.shop.payment.provider.SimulatedPaymentProvider.TOKEN_OK;
import static com.example.shop.payment.provider.SimulatedPaymentProvider.TOKEN_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What payment-service does with commands it cannot process, against a real broker and database: a command
 * that can never succeed is parked in {@code payment.commands.dlq} at once with the reason in headers, and
 * nothing is stored or replied; a provider that never answers (tok_timeout) gets the command retried
 * through every tier (200 ms each here) and then parked, without a reply, in bounded time; and neither
 * holds back the command published right after it.
 */
// Ingestion into the dead_letter table off: this class reads payment.commands.dlq itself, what lands on the
// broker with which headers; ingestion would take the parked messages away (libs/messaging tests it).
@SpringBootTest(properties = { "shop.payment.provider.timeout=1500ms", "shop.messaging.dead-letters.ingest-enabled=false" })
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.RABBITMQ })
class PaymentCommandDeadLetterTests {

	private static final Logger log = LoggerFactory.getLogger(PaymentCommandDeadLetterTests.class);

	static final Duration PROVIDER_TIMEOUT = Duration.ofMillis(1500);

	@Autowired
	ConnectionFactory connectionFactory;

	@Autowired
	Payments payments;

	@Autowired
	JdbcClient jdbc;

	OrderServiceStandIn orderService;

	SimulatorRecords simulator;

	@BeforeEach
	void setUp() {
		this.orderService = new OrderServiceStandIn(this.connectionFactory);
		this.simulator = new SimulatorRecords(this.jdbc);
	}

	/** A command that can never succeed, and the reason its dead letter must give. */
	record Poison(String name, String routingKey, UUID orderId, String messageId, String body, String reason) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	static Stream<Arguments> poison() {
		UUID orderId = UUID.randomUUID();
		return Stream.of(
				raw("not JSON", "{\"id\": 42", "message is not JSON"),
				raw("JSON but not an envelope", "{\"hello\": \"world\"}", "id is missing"),
				envelope("an unknown type", "authorize",
						OrderServiceStandIn.command("ChargeCard", orderId, Map.of("orderId", orderId)),
						"is not a message payment-service.payment-commands reads (AuthorizePayment, CapturePayment, RefundPayment, VoidPayment)"),
				envelope("an unknown version", "authorize",
						OrderServiceStandIn.command("AuthorizePayment", 2, orderId, authorizePayload(orderId, "10.00", "EUR")),
						"version 2 is not one this service reads (1)"),
				envelope("a payload that does not fit", "authorize",
						OrderServiceStandIn.command("AuthorizePayment", orderId,
								Map.of("orderId", orderId, "amount", Map.of("units", 10), "currency", "EUR", "token", TOKEN_OK)),
						"payload is not a valid AuthorizePayment"),
				envelope("a payload about another order", "authorize",
						OrderServiceStandIn.command("AuthorizePayment", orderId,
								Map.of("orderId", "nope", "amount", 10, "currency", "EUR", "token", TOKEN_OK)),
						"is about orderId nope but its correlationId is"),
				envelope("no order id", "capture", OrderServiceStandIn.command("CapturePayment", orderId, Map.of()),
						"has no orderId"),
				envelope("a customer id that is not a UUID", "authorize",
						OrderServiceStandIn.command("AuthorizePayment", orderId, Map.of("orderId", orderId, "customerId",
								"ada", "amount", 10, "currency", "EUR", "token", TOKEN_OK)),
						": customerId is not a UUID: 'ada'"),
				envelope("an order id that is not the correlation id", "void",
						OrderServiceStandIn.command("VoidPayment", orderId, Map.of("orderId", UUID.randomUUID())),
						"but its correlationId is '" + orderId + "'"),
				envelope("a negative amount", "authorize",
						OrderServiceStandIn.command("AuthorizePayment", orderId, authorizePayload(orderId, "-5.00", "EUR")),
						"InvalidPaymentRequestException: amount must be between 0.01"),
				envelope("an unknown currency", "authorize",
						OrderServiceStandIn.command("AuthorizePayment", orderId, authorizePayload(orderId, "5.00", "XXQ")),
						"InvalidPaymentRequestException: currency must be an ISO-4217 code"))
			.map(Arguments::of);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("poison")
	void aCommandThatCanNeverSucceedIsParkedAtOnceWithItsReasonAndTheNextCommandIsProcessed(Poison poison) {
		UUID nextOrderId = UUID.randomUUID();
		this.orderService.sendRaw(poison.routingKey(), poison.messageId(), poison.body());
		this.orderService.authorize(nextOrderId, "10.00", TOKEN_OK);

		Received parked = this.orderService.awaitDeadLetter(poison.messageId(), Duration.ofSeconds(20));
		this.orderService.awaitReply(nextOrderId, "PaymentAuthorized");

		assertThat(parked.<String>header(RetryHeaders.EXCEPTION_CLASS)).isEqualTo(MalformedMessageException.class.getName());
		assertThat(parked.<String>header(RetryHeaders.EXCEPTION_MESSAGE)).contains(poison.reason());
		assertThat(parked.<String>header(RetryHeaders.ORIGINAL_QUEUE)).isEqualTo("payment.commands");
		assertThat(parked.<Integer>header(RetryHeaders.RETRY_COUNT)).as("never retried").isZero();
		assertThat(Instant.parse(parked.header(RetryHeaders.FAILED_AT))).isBefore(Instant.now());
		assertThat(new String(parked.body())).as("the original message, for a replay").isEqualTo(poison.body());
		// Nothing stored, nothing answered.
		assertThat(this.payments.findByOrderId(poison.orderId())).isEmpty();
		assertThat(this.jdbc.sql("SELECT count(*) FROM inbox_message WHERE message_id::text = :id")
			.param("id", poison.messageId())
			.query(Integer.class)
			.single()).isZero();
		assertThat(this.orderService.repliesOf(poison.orderId())).isEmpty();
	}

	@Test
	void aSecondDifferentAuthorizationForAnOrderIsParkedAndTheFirstPaymentStaysAsItWas() {
		UUID orderId = UUID.randomUUID();
		this.orderService.authorize(orderId, "10.00", TOKEN_OK);
		this.orderService.awaitReply(orderId, "PaymentAuthorized");
		Payment first = this.payments.findByOrderId(orderId).orElseThrow();

		MessageEnvelope conflicting = this.orderService.authorize(orderId, "20.00", TOKEN_OK);
		Received parked = this.orderService.awaitDeadLetter(conflicting.id().toString(), Duration.ofSeconds(20));

		assertThat(parked.<String>header(RetryHeaders.EXCEPTION_CLASS)).isEqualTo(MalformedMessageException.class.getName());
		assertThat(parked.<String>header(RetryHeaders.EXCEPTION_MESSAGE))
			.contains("ConflictingPaymentRequestException: Order " + orderId + " already has payment " + first.id());
		assertThat(parked.<String>header(RetryHeaders.EXCEPTION_MESSAGE)).as("no card token in headers")
			.doesNotContain(TOKEN_OK);
		Payment after = this.payments.findByOrderId(orderId).orElseThrow();
		assertThat(after.version()).isEqualTo(first.version());
		assertThat(after.amount()).isEqualTo(first.amount());
		assertThat(this.simulator.charges(first.id())).isEqualTo(1);
		assertThat(this.orderService.repliesOf(orderId)).hasSize(1);
	}

	/**
	 * tok_timeout: the provider never answers. Each delivery waits out the provider deadline (1.5 s here)
	 * holding no database transaction, then goes to the next retry tier; after the third it is parked. No
	 * reply: order-service's step timeout decides. The payment stays PENDING, never charged.
	 */
	@Test
	void aProviderThatNeverAnswersGetsTheCommandRetriedThroughEveryTierThenParkedWithoutAReply() {
		UUID orderId = UUID.randomUUID();
		long start = System.nanoTime();
		MessageEnvelope command = this.orderService.authorize(orderId, "42.90", TOKEN_TIMEOUT);

		// While the provider call is in flight, no connection sits in a transaction over it.
		Payment pending = await().atMost(Duration.ofSeconds(10))
			.until(() -> this.payments.findByOrderId(orderId).orElse(null), (payment) -> payment != null);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.simulator.authorizeCalls(pending.id()) >= 1);
		for (int sample = 0; sample < 10; sample++) {
			assertThat(transactionsIdleOverTheProvider()).as("transactions held open during the provider call").isZero();
			sleep(Duration.ofMillis(50));
		}

		Received parked = this.orderService.awaitDeadLetter(command.id().toString(), Duration.ofSeconds(30));
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		log.info("tok_timeout parked after {} ms (4 deliveries x {} ms deadline + 3 tiers x 200 ms)", took.toMillis(),
				PROVIDER_TIMEOUT.toMillis());

		assertThat(parked.<Integer>header(RetryHeaders.RETRY_COUNT)).isEqualTo(3);
		assertThat(parked.<String>header(RetryHeaders.EXCEPTION_CLASS))
			.isEqualTo(PaymentProviderUnavailableException.class.getName());
		assertThat(parked.<String>header(RetryHeaders.EXCEPTION_MESSAGE)).contains("provider_timeout");
		assertThat(parked.<String>header(RetryHeaders.ORIGINAL_QUEUE)).isEqualTo("payment.commands");
		assertThat(new String(parked.body())).as("the original message, for a replay")
			.isEqualTo(MessageEnvelopeCodec.encode(command));
		assertThat(took).isBetween(PROVIDER_TIMEOUT.multipliedBy(4).plusMillis(600), Duration.ofSeconds(25));
		assertThat(this.simulator.authorizeCalls(pending.id())).as("one provider request per delivery").isEqualTo(4);
		assertThat(this.simulator.charges(pending.id())).isZero();
		assertThat(this.payments.findByOrderId(orderId).orElseThrow().status()).isEqualTo(PaymentStatus.PENDING);
		awaitOutboxSent();
		assertThat(this.orderService.repliesOf(orderId)).isEmpty();
	}

	/**
	 * Measured: the command published right after a malformed one, and right after one whose provider
	 * never answers, is answered in well under the provider deadline, i.e. while the first is still failing.
	 */
	@Test
	void aPoisonCommandDoesNotHoldBackTheCommandPublishedRightAfterIt() {
		String malformedId = UUID.randomUUID().toString();
		UUID afterMalformed = UUID.randomUUID();
		long start = System.nanoTime();
		this.orderService.sendRaw("authorize", malformedId, "{\"id\": 42");
		this.orderService.authorize(afterMalformed, "10.00", TOKEN_OK);
		this.orderService.awaitReply(afterMalformed, "PaymentAuthorized");
		Duration behindMalformed = Duration.ofNanos(System.nanoTime() - start);

		UUID slow = UUID.randomUUID();
		UUID afterSlow = UUID.randomUUID();
		start = System.nanoTime();
		this.orderService.authorize(slow, "10.00", TOKEN_TIMEOUT);
		this.orderService.authorize(afterSlow, "10.00", TOKEN_OK);
		this.orderService.awaitReply(afterSlow, "PaymentAuthorized");
		Duration behindSlow = Duration.ofNanos(System.nanoTime() - start);

		log.info("Answered {} ms after a malformed command, {} ms after a tok_timeout one (provider deadline {} ms)",
				behindMalformed.toMillis(), behindSlow.toMillis(), PROVIDER_TIMEOUT.toMillis());
		assertThat(behindMalformed).isLessThan(PROVIDER_TIMEOUT);
		assertThat(behindSlow).as("answered while the tok_timeout command still waits for the provider")
			.isLessThan(PROVIDER_TIMEOUT);
		assertThat(this.orderService.awaitDeadLetter(malformedId, Duration.ofSeconds(10))).isNotNull();
		assertThat(this.orderService.repliesOf(slow)).isEmpty();
	}

	// ---- helpers --------------------------------------------------------------------------------

	private static Poison raw(String name, String body, String reason) {
		return new Poison(name, "authorize", UUID.randomUUID(), UUID.randomUUID().toString(), body, reason);
	}

	private static Poison envelope(String name, String routingKey, MessageEnvelope envelope, String reason) {
		return new Poison(name, routingKey, UUID.fromString(envelope.correlationId()), envelope.id().toString(),
				MessageEnvelopeCodec.encode(envelope), reason);
	}

	private static Map<String, Object> authorizePayload(UUID orderId, String amount, String currency) {
		return Map.of("orderId", orderId, "amount", new BigDecimal(amount), "currency", currency, "token", TOKEN_OK);
	}

	/**
	 * Connections of this database idle inside a transaction whose last statement was the provider
	 * simulator's: what wrapping the seam in a transaction would look like while the provider is waited for.
	 */
	private int transactionsIdleOverTheProvider() {
		return this.jdbc.sql("""
				SELECT count(*) FROM pg_stat_activity
				WHERE datname = current_database() AND pid <> pg_backend_pid()
				  AND state LIKE 'idle in transaction%' AND query ILIKE '%provider_simulator%'""")
			.query(Integer.class)
			.single();
	}

	private void awaitOutboxSent() {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.jdbc.sql("SELECT count(*) FROM outbox_message WHERE sent_at IS NULL")
				.query(Integer.class)
				.single() == 0);
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}

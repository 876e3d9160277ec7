package com.example.shop.gateway;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.example.shop.gateway.RecordingDownstream.Received;
import com.example.shop.gateway.RecordingDownstream.Reply;

import static com.example.shop.gateway.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An order-service instance that closes the connection before answering (it crashed or was stopped while
 * the request was on its way): a placement with an Idempotency-Key is sent again, and order-service's
 * deduplication by that key makes the repeat safe; one without a key is not. The same for a 503 answer.
 */
@GatewayTest
class PrematureCloseRetryTests {

	private static final RecordingDownstream orderService = RecordingDownstream.start();

	private static final String ORDER = "{\"customerId\":\"c-1\",\"items\":[{\"productId\":\"p-1\",\"quantity\":1}]}";

	@DynamicPropertySource
	static void registerDownstream(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.discovery.client.simple.instances.order-service[0].uri", orderService::uri);
		Tokens.trustTestIssuer(registry);
	}

	@AfterAll
	static void stopDownstream() {
		orderService.close();
	}

	@LocalServerPort
	int port;

	private GatewayClient gateway;

	@BeforeEach
	void setUp() {
		gateway = new GatewayClient(port).as(Tokens.customer());
		orderService.reset();
	}

	@Test
	void retriesAKeyedPlacementWhoseConnectionWasClosedBeforeAnyAnswer() {
		AtomicInteger attempts = new AtomicInteger();
		orderService.answer(request -> attempts.incrementAndGet() == 1 ? Reply.closeWithoutAnswer()
				: Reply.json(202, "{\"status\":\"PENDING\"}"));

		HttpResponse<String> response = gateway.send("POST", "/api/orders", BodyPublishers.ofString(ORDER),
				"Content-Type", "application/json", "Idempotency-Key", "key-1");

		assertThat(response.statusCode()).isEqualTo(202);
		assertThat(orderService.received()).hasSize(2).allSatisfy(request -> {
			assertThat(request.bodyText()).isEqualTo(ORDER);
			assertThat(request.header("Idempotency-Key")).isEqualTo("key-1");
		});
	}

	@Test
	void retriesAKeyedPlacementAnswered503AndNotOneWithoutKey() {
		// order-service answers 503 only before it stores anything (its catalog or database is unavailable, or it is
		// shutting down), having released the key: the repeat is safe, and usually lands on a healthy replica.
		AtomicInteger attempts = new AtomicInteger();
		orderService.answer(request -> attempts.incrementAndGet() % 2 == 1
				? Reply.json(503, "{\"status\":503}") : Reply.json(202, "{\"status\":\"PENDING\"}"));

		HttpResponse<String> keyed = gateway.send("POST", "/api/orders", BodyPublishers.ofString(ORDER),
				"Content-Type", "application/json", "Idempotency-Key", "key-503");
		assertThat(keyed.statusCode()).isEqualTo(202);
		assertThat(orderService.received()).hasSize(2);

		orderService.reset();
		attempts.set(0);
		orderService.answer(request -> attempts.incrementAndGet() % 2 == 1
				? Reply.json(503, "{\"status\":503}") : Reply.json(202, "{\"status\":\"PENDING\"}"));
		assertProblem(gateway.send("POST", "/api/orders", BodyPublishers.ofString(ORDER), "Content-Type",
				"application/json"), 503, "Service unavailable");
		assertThat(orderService.received()).hasSize(1);
	}

	@Test
	void givesUpAfterThreeAttemptsWith502() {
		orderService.answer(request -> Reply.closeWithoutAnswer());

		assertProblem(gateway.send("POST", "/api/orders", BodyPublishers.ofString(ORDER), "Content-Type",
				"application/json", "Idempotency-Key", "key-2"), 502, "Bad gateway");

		assertThat(orderService.received()).hasSize(3).extracting(Received::bodyText).containsOnly(ORDER);
	}

	@Test
	void doesNotRetryAPlacementWithoutKey() {
		orderService.answer(request -> Reply.closeWithoutAnswer());

		assertProblem(gateway.send("POST", "/api/orders", BodyPublishers.ofString(ORDER), "Content-Type",
				"application/json"), 502, "Bad gateway");

		assertThat(orderService.received()).hasSize(1);
	}

	@Test
	void doesNotRetryOtherWritesEvenWithAKey() {
		orderService.answer(request -> Reply.closeWithoutAnswer());

		assertProblem(gateway.send("DELETE", "/api/orders/o-1", BodyPublishers.noBody(), "Idempotency-Key", "key-3"),
				502, "Bad gateway");

		assertThat(orderService.received()).hasSize(1);
	}

}

package com.example.shop.gateway;

import java.net.http.HttpRequest.BodyPublishers;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.example.shop.gateway.RecordingDownstream.Reply;

import static com.example.shop.gateway.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service that keeps failing is no longer called: the payment-service breaker (configured in
 * application.yml: at least 10 calls, 50 % failures) opens and the gateway answers 503 itself. A context
 * of its own, so no other test shares this breaker's state.
 */
@GatewayTest
class CircuitBreakerTest {

	/** The breaker's minimum-number-of-calls in application.yml. */
	private static final int CALLS_BEFORE_JUDGING = 10;

	private static final RecordingDownstream paymentService = RecordingDownstream.start();

	@DynamicPropertySource
	static void registerDownstream(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.discovery.client.simple.instances.payment-service[0].uri", paymentService::uri);
	}

	@AfterAll
	static void stopDownstream() {
		paymentService.close();
	}

	@LocalServerPort
	int port;

	@Test
	void opensAfterRepeatedFailuresAndThenAnswers503WithoutCallingTheService() {
		GatewayClient gateway = new GatewayClient(port);
		paymentService.answer(request -> Reply.status(500));

		// POST: one attempt per call, so every call is one failure the breaker counts.
		for (int call = 1; call <= CALLS_BEFORE_JUDGING; call++) {
			assertProblem(gateway.send("POST", "/api/payments", BodyPublishers.ofString("{}"), "Content-Type",
					"application/json"), 502, "Bad gateway");
		}
		assertThat(paymentService.received()).hasSize(CALLS_BEFORE_JUDGING);

		var open = assertProblem(gateway.get("/api/payments?orderId=o-1"), 503, "Service unavailable");
		assertThat(open.path("detail").asString()).contains("payment-service", "circuit breaker");
		assertThat(open.path("instance").asString()).isEqualTo("/api/payments");
		assertProblem(gateway.send("POST", "/api/payments", BodyPublishers.ofString("{}"), "Content-Type",
				"application/json"), 503, "Service unavailable");

		assertThat(paymentService.received()).hasSize(CALLS_BEFORE_JUDGING);
	}

}

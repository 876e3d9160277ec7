package com.example.shop.gateway;

import java.net.ConnectException;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.server.ResponseStatusException;

import com.example.shop.gateway.RecordingDownstream.Reply;

import static com.example.shop.gateway.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service that keeps failing is no longer called: its breaker (configured in application.yml: at least 10
 * calls, 50 % failures) opens and the gateway answers 503 itself. Only the service's own faults count: a
 * 503 (its database is down) does, a 500 (its bug, which one client's input can trigger) or a 400 does not.
 * A context of its own, so no other test shares these breakers' state; each test uses its own service.
 */
@GatewayTest
class CircuitBreakerTests {

	/** The breaker's minimum-number-of-calls in application.yml. */
	private static final int CALLS_BEFORE_JUDGING = 10;

	private static final RecordingDownstream paymentService = RecordingDownstream.start();

	private static final RecordingDownstream productService = RecordingDownstream.start();

	@DynamicPropertySource
	static void registerDownstream(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.discovery.client.simple.instances.payment-service[0].uri", paymentService::uri);
		registry.add("spring.cloud.discovery.client.simple.instances.product-service[0].uri", productService::uri);
		Tokens.trustTestIssuer(registry);
	}

	@AfterAll
	static void stopDownstream() {
		paymentService.close();
		productService.close();
	}

	@LocalServerPort
	int port;

	@Autowired
	CircuitBreakerRegistry breakers;

	@Test
	void opensAfterRepeated503sAndThenAnswers503WithoutCallingTheService() {
		GatewayClient gateway = new GatewayClient(port).as(Tokens.admin());
		paymentService.answer(request -> Reply.status(503));

		// POST: one attempt per call, so every call is one failure the breaker counts.
		for (int call = 1; call <= CALLS_BEFORE_JUDGING; call++) {
			var problem = assertProblem(gateway.send("POST", "/api/payments", BodyPublishers.ofString("{}"),
					"Content-Type", "application/json"), 503, "Service unavailable");
			assertThat(problem.path("detail").asString()).isEqualTo("payment-service answered 503");
		}
		assertThat(paymentService.received()).hasSize(CALLS_BEFORE_JUDGING);
		assertThat(breakers.circuitBreaker("payment-service").getState()).isEqualTo(CircuitBreaker.State.OPEN);

		var open = assertProblem(gateway.get("/api/payments?orderId=o-1"), 503, "Service unavailable");
		assertThat(open.path("detail").asString()).contains("payment-service", "circuit breaker");
		assertThat(open.path("instance").asString()).isEqualTo("/api/payments");
		assertProblem(gateway.send("POST", "/api/payments", BodyPublishers.ofString("{}"), "Content-Type",
				"application/json"), 503, "Service unavailable");

		assertThat(paymentService.received()).hasSize(CALLS_BEFORE_JUDGING);
	}

	/**
	 * The fuzzer's finding: ten GET /api/products?q=... the service answered 500 used to open the catalog's
	 * breaker for everyone. A flood of 500s and 400s now reaches the client as the service's own answers and
	 * leaves the route serving everybody else.
	 */
	@Test
	void aFloodOfRequestsTheServiceAnswers500Or400LeavesTheRouteServingOthers() {
		GatewayClient gateway = new GatewayClient(port).as(Tokens.admin());
		String bug = "{\"type\":\"https://shop.example.com/problems/internal\",\"title\":\"Internal error\",\"status\":500,"
				+ "\"detail\":\"The request could not be completed.\"}";
		String invalid = "{\"type\":\"https://shop.example.com/problems/validation\",\"title\":\"Bad request\",\"status\":400,"
				+ "\"detail\":\"q is not a valid search\"}";
		productService.answer(request -> {
			if (request.pathAndQuery().contains("q=crash")) {
				return new Reply(500, "application/problem+json", bug, Map.of(), Duration.ZERO);
			}
			if (request.pathAndQuery().contains("q=invalid")) {
				return new Reply(400, "application/problem+json", invalid, Map.of(), Duration.ZERO);
			}
			return Reply.json(200, "{\"id\":\"p-1\"}");
		});

		for (int call = 1; call <= 50; call++) {
			HttpResponse<String> crashed = gateway.get("/api/products?q=crash" + call);
			assertThat(crashed.statusCode()).isEqualTo(500);
			assertThat(crashed.body()).isEqualTo(bug);
			assertThat(crashed.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			HttpResponse<String> refused = gateway.get("/api/products?q=invalid" + call);
			assertThat(refused.statusCode()).isEqualTo(400);
			assertThat(refused.body()).isEqualTo(invalid);
		}

		CircuitBreaker breaker = breakers.circuitBreaker("product-service");
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();
		HttpResponse<String> next = gateway.get("/api/products/p-1");
		assertThat(next.statusCode()).isEqualTo(200);
		assertThat(next.body()).isEqualTo("{\"id\":\"p-1\"}");
		// Every call reached the service exactly once: none was retried, none was cut off by the breaker.
		assertThat(productService.received()).hasSize(101);
	}

	/** Every breaker judges failures with DownstreamFault: the service's faults count, nothing else. */
	@Test
	void countsOnlyTheServicesOwnFaults() {
		for (String service : List.of("product-service", "inventory-service", "order-service",
				"payment-service", "notification-service")) {
			var counts = breakers.circuitBreaker(service).getCircuitBreakerConfig().getRecordExceptionPredicate();

			assertThat(counts.test(new ConnectException("Connection refused"))).isTrue();
			assertThat(counts.test(new TimeoutException())).isTrue();
			assertThat(counts.test(new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT))).isTrue();
			assertThat(counts.test(new IllegalStateException("a bug in the gateway"))).isFalse();
			assertThat(counts.test(new ResponseStatusException(HttpStatus.BAD_REQUEST))).isFalse();
		}
	}

}

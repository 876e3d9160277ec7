package com.example.shop.gateway;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.example.shop.gateway.RecordingDownstream.Reply;

import static com.example.shop.gateway.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads are retried on a service's transient failures, writes never are. Counted at the downstream.
 * Fewer failing calls than the breaker's minimum of 10 are made here, so it stays closed throughout.
 */
@GatewayTest
class RetryTests {

	private static final RecordingDownstream productService = RecordingDownstream.start();

	@DynamicPropertySource
	static void registerDownstream(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.discovery.client.simple.instances.product-service[0].uri", productService::uri);
		Tokens.trustTestIssuer(registry);
	}

	@AfterAll
	static void stopDownstream() {
		productService.close();
	}

	@LocalServerPort
	int port;

	private GatewayClient gateway;

	@BeforeEach
	void setUp() {
		gateway = new GatewayClient(port).as(Tokens.admin());
		productService.reset();
	}

	@Test
	void retriesAGetOn503UntilTheServiceAnswers() {
		AtomicInteger calls = new AtomicInteger();
		productService.answer(request -> calls.incrementAndGet() <= 2 ? Reply.status(503)
				: Reply.json(200, "{\"id\":\"p-1\"}"));

		HttpResponse<String> response = gateway.get("/api/products/p-1");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"id\":\"p-1\"}");
		assertThat(productService.received()).hasSize(3)
			.allSatisfy(request -> assertThat(request.pathAndQuery()).isEqualTo("/api/products/p-1"));
	}

	@Test
	void givesUpAfterThreeAttemptsAndAnswersProblem() {
		productService.answer(request -> Reply.status(503));

		var problem = assertProblem(gateway.get("/api/products/p-1"), 503, "Service unavailable");

		assertThat(problem.path("detail").asString()).isEqualTo("product-service answered 503");
		assertThat(productService.received()).hasSize(3);
	}

	@ParameterizedTest
	@ValueSource(strings = { "POST", "PUT", "DELETE" })
	void neverRetriesAWrite(String method) {
		productService.answer(request -> Reply.status(503));

		assertProblem(gateway.send(method, "/api/products/p-1", BodyPublishers.ofString("{}"), "Content-Type",
				"application/json"), 503, "Service unavailable");

		assertThat(productService.received()).singleElement()
			.satisfies(request -> assertThat(request.method()).isEqualTo(method));
	}

	@Test
	void passesAPlain500ThroughUnchangedAndUnretried() {
		String servicesProblem = "{\"type\":\"https://shop.example.com/problems/internal\",\"title\":\"Internal error\","
				+ "\"status\":500,\"detail\":\"The request could not be completed.\",\"requestId\":\"r-1\"}";
		productService.answer(request -> new Reply(500, "application/problem+json", servicesProblem, java.util.Map.of(),
				java.time.Duration.ZERO));

		HttpResponse<String> response = gateway.get("/api/products/p-1");

		// The service's own problem, not turned into a 502 of the gateway: a bug, asking again will not help.
		assertThat(response.statusCode()).isEqualTo(500);
		assertThat(response.body()).isEqualTo(servicesProblem);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(productService.received()).hasSize(1);
	}

	@Test
	void passesClientErrorsThroughUntouchedAndUnretried() {
		productService.answer(request -> new Reply(404, "application/problem+json",
				"{\"title\":\"Not found\",\"status\":404}", java.util.Map.of(), java.time.Duration.ZERO));

		HttpResponse<String> response = gateway.get("/api/products/unknown");

		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.body()).isEqualTo("{\"title\":\"Not found\",\"status\":404}");
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(productService.received()).hasSize(1);
	}

}

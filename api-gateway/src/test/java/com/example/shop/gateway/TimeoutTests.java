package com.example.shop.gateway;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.example.shop.gateway.RecordingDownstream.Reply;

import static com.example.shop.gateway.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service that does not answer gets the route's deadline, not the client's patience: 504 problem.
 * Uses the real timeouts of application.yml (2 s per attempt for products, 5 s for a whole read).
 */
@GatewayTest
class TimeoutTests {

	private static final Duration NEVER_IN_TIME = Duration.ofSeconds(20);

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

	@Autowired
	ReactiveJwtDecoder tokens;

	private GatewayClient gateway;

	@BeforeEach
	void setUp() {
		String admin = Tokens.admin();
		// The first token a context checks costs the key set's fetch and loading the JWT classes: done here, before
		// the clock of the deadlines measured below starts.
		tokens.decode(admin).block(Duration.ofSeconds(10));
		gateway = new GatewayClient(port).as(admin);
		productService.reset();
		productService.answer(request -> Reply.status(200).after(NEVER_IN_TIME));
	}

	@Test
	void answers504WhenOneAttemptExceedsTheRouteTimeout() {
		Instant start = Instant.now();

		var problem = assertProblem(gateway.send("POST", "/api/products", BodyPublishers.ofString("{}"),
				"Content-Type", "application/json"), 504, "Gateway timeout");

		Duration took = Duration.between(start, Instant.now());
		assertThat(took).isBetween(Duration.ofMillis(1900), Duration.ofMillis(4000));
		assertThat(problem.path("detail").asString()).isEqualTo("product-service did not answer in time");
		assertThat(problem.path("instance").asString()).isEqualTo("/api/products");
		assertThat(productService.received()).hasSize(1);
	}

	@Test
	void retriesASlowReadButEndsItWithinTheBreakersDeadline() {
		Instant start = Instant.now();

		var problem = assertProblem(gateway.get("/api/products/p-1"), 504, "Gateway timeout");

		Duration took = Duration.between(start, Instant.now());
		assertThat(took).isBetween(Duration.ofMillis(3900), Duration.ofMillis(6500));
		assertThat(problem.path("detail").asString()).isEqualTo("product-service did not answer in time");
		assertThat(productService.received().size()).isBetween(2, 3);
	}

}

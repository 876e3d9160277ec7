package com.example.shop.gateway;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.example.shop.gateway.RecordingDownstream.Received;
import com.example.shop.gateway.RecordingDownstream.Reply;
import com.example.shop.testsupport.FreePorts;

import static com.example.shop.gateway.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restart of one order-service instance must not fail checkouts: two instances behind the load balancer,
 * one of them stopped (its port refuses connections). A placement with an Idempotency-Key is retried on
 * the refused connection and reaches the live instance; one without is not retried. The load balancer
 * takes turns (round robin), so consecutive attempts alternate between the two instances.
 */
@GatewayTest
class KeyedOrderRetryTests {

	private static final RecordingDownstream liveInstance = RecordingDownstream.start();

	private static final String ORDER = "{\"customerId\":\"c-1\",\"items\":[{\"productId\":\"p-1\",\"quantity\":2}]}";

	@DynamicPropertySource
	static void registerDownstream(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.discovery.client.simple.instances.order-service[0].uri",
				() -> "http://127.0.0.1:" + FreePorts.one());
		registry.add("spring.cloud.discovery.client.simple.instances.order-service[1].uri", liveInstance::uri);
		Tokens.trustTestIssuer(registry);
	}

	@AfterAll
	static void stopDownstream() {
		liveInstance.close();
	}

	@LocalServerPort
	int port;

	private GatewayClient gateway;

	@BeforeEach
	void setUp() {
		gateway = new GatewayClient(port).as(Tokens.customer());
		liveInstance.reset();
		liveInstance.answer(request -> Reply.json(202, "{\"status\":\"PENDING\"}"));
	}

	@Test
	void everyKeyedPlacementSucceedsWhileOneInstanceRefusesConnections() {
		for (int order = 1; order <= 6; order++) {
			HttpResponse<String> response = placeOrder("Idempotency-Key", "key-" + order);

			assertThat(response.statusCode()).as("placement %d: %s", order, response.body()).isEqualTo(202);
			assertThat(response.body()).isEqualTo("{\"status\":\"PENDING\"}");
		}

		// Each placement reached the live instance exactly once, with its body and key.
		assertThat(liveInstance.received()).hasSize(6).allSatisfy(request -> {
			assertThat(request.method()).isEqualTo("POST");
			assertThat(request.pathAndQuery()).isEqualTo("/api/orders");
			assertThat(request.bodyText()).isEqualTo(ORDER);
		});
		assertThat(liveInstance.received()).extracting(request -> request.header("Idempotency-Key"))
			.containsExactly("key-1", "key-2", "key-3", "key-4", "key-5", "key-6");
	}

	@Test
	void aPlacementWithoutKeyIsNotRetried() {
		List<Integer> statuses = new ArrayList<>();
		for (int order = 1; order <= 4; order++) {
			HttpResponse<String> response = placeOrder();
			statuses.add(response.statusCode());
			if (response.statusCode() != 202) {
				var problem = assertProblem(response, 502, "Bad gateway");
				assertThat(problem.path("detail").asString()).isEqualTo("order-service could not be reached");
			}
		}

		// Every other attempt goes to the stopped instance and fails there; none goes on to the live one.
		assertThat(statuses).containsExactlyInAnyOrder(202, 202, 502, 502);
		assertThat(liveInstance.received()).hasSize(2);
	}

	/**
	 * A slow attempt may still be running: it is never repeated, the client gets 504 after the route's 5 s.
	 */
	@Test
	void aKeyedPlacementThatTimesOutIsNotRetried() {
		liveInstance.answer(request -> Reply.json(202, "{}").after(Duration.ofSeconds(8)));

		var problem = assertProblem(placeOrder("Idempotency-Key", "key-slow"), 504, "Gateway timeout");

		assertThat(problem.path("detail").asString()).isEqualTo("order-service did not answer in time");
		assertThat(liveInstance.received()).extracting(Received::bodyText).containsExactly(ORDER);
	}

	private HttpResponse<String> placeOrder(String... headers) {
		List<String> all = new ArrayList<>(List.of("Content-Type", "application/json"));
		all.addAll(List.of(headers));
		return gateway.send("POST", "/api/orders", BodyPublishers.ofString(ORDER), all.toArray(String[]::new));
	}

}

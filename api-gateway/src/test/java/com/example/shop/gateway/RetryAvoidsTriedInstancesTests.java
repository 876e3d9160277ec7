package com.example.shop.gateway;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.example.shop.gateway.RecordingDownstream.Reply;
import com.example.shop.testsupport.FreePorts;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retries of one request go to instances it has not tried yet. Three order-service instances, two of them
 * stopped, and clients placing keyed orders concurrently: the round robin is shared by all requests, so without
 * this a request's second and third attempt may land on stopped instances again while other requests move the
 * counter. With it, three attempts always reach the live instance.
 */
@GatewayTest
class RetryAvoidsTriedInstancesTests {

	private static final RecordingDownstream liveInstance = RecordingDownstream.start();

	private static final String ORDER = "{\"customerId\":\"c-1\",\"items\":[{\"productId\":\"p-1\",\"quantity\":1}]}";

	@DynamicPropertySource
	static void registerDownstream(DynamicPropertyRegistry registry) {
		String instances = "spring.cloud.discovery.client.simple.instances.order-service";
		registry.add(instances + "[0].uri", () -> "http://127.0.0.1:" + FreePorts.one());
		registry.add(instances + "[1].uri", () -> "http://127.0.0.1:" + FreePorts.one());
		registry.add(instances + "[2].uri", liveInstance::uri);
		Tokens.trustTestIssuer(registry);
	}

	@AfterAll
	static void stopDownstream() {
		liveInstance.close();
	}

	@LocalServerPort
	int port;

	@Test
	void everyConcurrentKeyedPlacementReachesTheLiveInstanceWithinThreeAttempts() throws Exception {
		liveInstance.answer(request -> Reply.json(202, "{\"status\":\"PENDING\"}"));
		GatewayClient gateway = new GatewayClient(port).as(Tokens.customer());
		Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
		try (ExecutorService clients = Executors.newFixedThreadPool(8)) {
			List<Future<?>> placing = new ArrayList<>();
			for (int order = 0; order < 120; order++) {
				String key = "key-" + order;
				placing.add(clients.submit(() -> {
					HttpResponse<String> response = gateway.send("POST", "/api/orders", BodyPublishers.ofString(ORDER),
							"Content-Type", "application/json", "Idempotency-Key", key);
					statuses.merge(response.statusCode(), 1, Integer::sum);
				}));
			}
			for (Future<?> placed : placing) {
				placed.get();
			}
		}
		assertThat(statuses).isEqualTo(Map.of(202, 120));
		assertThat(liveInstance.received()).hasSize(120);
	}

}

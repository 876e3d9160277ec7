package com.example.shop.gateway;


import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.example.shop.testsupport.FreePorts;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis holds only the rate limits' buckets: without it the gateway serves every request, unlimited, counts them in
 * {@code gateway.ratelimit.unavailable}, stops asking Redis for a while (the breaker around it opens), and stays
 * healthy. Redis here is a port nothing listens on.
 */
@GatewayTest
class RateLimitWithoutRedisTests {

	private static final RecordingDownstream productService = RecordingDownstream.start();

	@DynamicPropertySource
	static void limitsWithoutRedis(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.discovery.client.simple.instances.product-service[0].uri", productService::uri);
		Tokens.trustTestIssuer(registry);
		registry.add("spring.data.redis.host", () -> "127.0.0.1");
		registry.add("spring.data.redis.port", FreePorts::one);
		registry.add("shop.gateway.rate-limits.enabled", () -> "true");
		registry.add("shop.gateway.rate-limits.api.replenish-rate", () -> "1");
		registry.add("shop.gateway.rate-limits.api.burst-capacity", () -> "5");
	}

	@AfterAll
	static void stopDownstream() {
		productService.close();
	}

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@Autowired
	MeterRegistry meters;

	@Autowired
	CircuitBreakerRegistry breakers;

	@Test
	void everyRequestIsServedUnlimitedCountedAndTheGatewayStaysHealthy() {
		GatewayClient customer = new GatewayClient(port).as(Tokens.customer());

		for (int request = 0; request < 20; request++) {
			assertThat(customer.get("/api/products/p-1").statusCode()).as("request %d of a budget of 5", request)
				.isEqualTo(200);
		}

		assertThat(productService.received()).hasSize(20);
		assertThat(meters.counter("gateway.ratelimit.unavailable", "policy", "api").count()).isEqualTo(20);
		assertThat(breakers.circuitBreaker("rate-limit-store").getState())
			.as("Redis is no longer asked for every request")
			.isEqualTo(CircuitBreaker.State.OPEN);
		assertThat(new GatewayClient(managementPort).get("/actuator/health").body()).contains("\"status\":\"UP\"");
	}

}

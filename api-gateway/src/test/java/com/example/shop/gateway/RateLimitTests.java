package com.example.shop.gateway;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.example.shop.testsupport.RedisServer;
import com.example.shop.testsupport.TestInfrastructure;

import static com.example.shop.gateway.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One caller's budget, in a real Redis: over it, that caller gets 429 problem+json with Retry-After and its requests
 * never reach the service; every other caller is served as before. Small policies (5 requests at once, then 1 a
 * second; 2 checkouts at once) so a test can empty a bucket with a handful of requests. Buckets refill while a test
 * runs, so a test sends until the first 429 and checks what came before it rather than counting to an exact number.
 */
@GatewayTest
class RateLimitTests {

	private static final int API_BURST = 5;

	private static final int CHECKOUT_BURST = 2;

	private static final RecordingDownstream productService = RecordingDownstream.start();

	private static final RecordingDownstream orderService = RecordingDownstream.start();

	@DynamicPropertySource
	static void limits(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.discovery.client.simple.instances.product-service[0].uri", productService::uri);
		registry.add("spring.cloud.discovery.client.simple.instances.order-service[0].uri", orderService::uri);
		Tokens.trustTestIssuer(registry);
		RedisServer redis = TestInfrastructure.redis();
		registry.add("spring.data.redis.host", redis::host);
		registry.add("spring.data.redis.port", redis::port);
		registry.add("shop.gateway.rate-limits.enabled", () -> "true");
		// This run's buckets only: other runs and the running platform may share the Redis.
		registry.add("shop.gateway.rate-limits.key-prefix", () -> TestInfrastructure.newNamespace("ratelimit") + ":");
		registry.add("shop.gateway.rate-limits.api.replenish-rate", () -> "1");
		registry.add("shop.gateway.rate-limits.api.burst-capacity", () -> API_BURST);
		registry.add("shop.gateway.rate-limits.checkout.replenish-rate", () -> "1");
		registry.add("shop.gateway.rate-limits.checkout.burst-capacity", () -> 2 * CHECKOUT_BURST);
	}

	@AfterAll
	static void stopDownstream() {
		productService.close();
		orderService.close();
	}

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	@Test
	void aCustomerOverTheBudgetGets429WithRetryAfterAndTheServiceSeesNoneOfThem() {
		GatewayClient customer = new GatewayClient(port).as(Tokens.customer());
		int before = productService.received().size();

		Throttled throttled = untilThrottled(() -> customer.get("/api/products/p-1"));

		assertThat(throttled.allowed()).as("a full bucket lets a burst through").hasSizeGreaterThanOrEqualTo(API_BURST);
		assertThat(throttled.allowed()).allSatisfy(answer -> {
			assertThat(answer.statusCode()).isEqualTo(200);
			assertThat(answer.headers().firstValue("X-RateLimit-Burst-Capacity")).hasValue(String.valueOf(API_BURST));
			assertThat(answer.headers().firstValue("X-RateLimit-Remaining")).isPresent();
			// 5 requests in a window of 5 s (an empty bucket refills in 5 s at 1 a second).
			assertThat(answer.headers().firstValue("RateLimit-Policy")).hasValue("\"api\";q=5;w=5");
			assertThat(answer.headers().firstValue("RateLimit")).hasValueSatisfying(
					state -> assertThat(state).matches("\"api\";r=[0-4];t=[1-5]"));
		});
		var problem = assertProblem(throttled.refusal(), 429, "Too many requests");
		assertThat(problem.path("type").asString()).isEqualTo("https://shop.example.com/problems/too-many-requests");
		assertThat(problem.path("detail").asString()).contains("'api'", "Retry-After");
		assertThat(throttled.refusal().headers().firstValue("Retry-After")).hasValue("1");
		assertThat(throttled.refusal().headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
		assertThat(throttled.refusal().headers().firstValue("RateLimit")).hasValue("\"api\";r=0;t=1");
		assertThat(productService.received()).as("only the allowed requests reach the service")
			.hasSize(before + throttled.allowed().size());
		assertThat(meters.counter("gateway.requests.throttled", "policy", "api").count()).isPositive();

		// The bucket refills: after Retry-After the same customer is served again.
		pause(Duration.ofSeconds(Long.parseLong(throttled.refusal().headers().firstValue("Retry-After").orElseThrow())));
		assertThat(customer.get("/api/products/p-1").statusCode()).isEqualTo(200);
	}

	@Test
	void aThrottledCallerDoesNotSlowDownAnyOtherCaller() {
		GatewayClient greedy = new GatewayClient(port).as(Tokens.customer());
		untilThrottled(() -> greedy.get("/api/products/p-2"));
		assertThat(greedy.get("/api/products/p-2").statusCode()).isEqualTo(429);

		assertThat(new GatewayClient(port).as(Tokens.customer()).get("/api/products/p-2").statusCode())
			.as("another customer").isEqualTo(200);
		assertThat(new GatewayClient(port).as(Tokens.admin()).get("/api/products/p-2").statusCode()).as("an admin")
			.isEqualTo(200);
	}

	@Test
	void anonymousCallersCountByAddress() {
		// Every anonymous request of this test comes from 127.0.0.1: one caller, one bucket.
		GatewayClient anonymous = new GatewayClient(port);
		Throttled throttled = untilThrottled(() -> anonymous.get("/api/products?q=lamp"));
		assertProblem(throttled.refusal(), 429, "Too many requests");

		assertThat(new GatewayClient(port).as(Tokens.customer()).get("/api/products?q=lamp").statusCode())
			.as("a signed-in customer on the same address has a budget of their own").isEqualTo(200);
	}

	/**
	 * The storefront calls the catalog for its anonymous visitors with its own service account and names the visitor:
	 * each visitor has a budget of their own, not all of them the storefront's one. Nobody else can choose the key.
	 */
	@Test
	void theStorefrontsCallsForItsVisitorsCountAgainstEachVisitor() {
		GatewayClient storefront = new GatewayClient(port).as(Tokens.serviceAccount("storefront"));
		Throttled visitor = untilThrottled(() -> storefront.send("GET", "/api/products?q=mug", BodyPublishers.noBody(),
				"X-Visitor-Address", "203.0.113.7"));
		assertProblem(visitor.refusal(), 429, "Too many requests");

		assertThat(storefront.send("GET", "/api/products?q=mug", BodyPublishers.noBody(), "X-Visitor-Address",
				"203.0.113.8").statusCode()).as("another visitor of the storefront").isEqualTo(200);

		// Anybody else naming a visitor drains only their own budget: the named visitor's stays full.
		int next = 9;
		for (String other : List.of(Tokens.customer(), Tokens.serviceAccount("order-service"))) {
			String named = "203.0.113." + next++;
			GatewayClient caller = new GatewayClient(port).as(other);
			untilThrottled(() -> caller.send("GET", "/api/products?q=mug", BodyPublishers.noBody(), "X-Visitor-Address",
					named));
			assertThat(storefront.send("GET", "/api/products?q=mug", BodyPublishers.noBody(), "X-Visitor-Address",
					named).statusCode()).as("the budget of %s, which another caller named", named).isEqualTo(200);
		}
	}

	@Test
	void placingOrdersHasItsOwnSmallerBudgetAndReadsGoOn() {
		GatewayClient customer = new GatewayClient(port).as(Tokens.customer());
		orderService.answer(request -> "POST".equals(request.method())
				? RecordingDownstream.Reply.json(202, "{\"id\":\"o-1\"}") : RecordingDownstream.Reply.json(200, "{}"));

		Throttled throttled = untilThrottled(() -> customer.send("POST", "/api/orders",
				BodyPublishers.ofString("{\"items\":[]}"), "Content-Type", "application/json"));

		assertThat(throttled.allowed()).hasSizeGreaterThanOrEqualTo(CHECKOUT_BURST).hasSizeLessThan(API_BURST);
		var problem = assertProblem(throttled.refusal(), 429, "Too many requests");
		assertThat(problem.path("detail").asString()).contains("'checkout'", "0.5 requests a second");
		assertThat(throttled.refusal().headers().firstValue("Retry-After")).hasValueSatisfying(
				seconds -> assertThat(Integer.parseInt(seconds)).isBetween(1, 2));
		assertThat(customer.get("/api/orders/o-1").statusCode()).as("the same customer's reads").isEqualTo(200);
	}

	private static Throttled untilThrottled(java.util.function.Supplier<HttpResponse<String>> request) {
		List<HttpResponse<String>> allowed = new ArrayList<>();
		for (int attempt = 0; attempt < 50; attempt++) {
			HttpResponse<String> answer = request.get();
			if (answer.statusCode() == 429) {
				return new Throttled(allowed, answer);
			}
			allowed.add(answer);
		}
		throw new AssertionError("50 requests in a row and no 429; answers: "
				+ allowed.stream().map(HttpResponse::statusCode).toList());
	}

	private static void pause(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private record Throttled(List<HttpResponse<String>> allowed, HttpResponse<String> refusal) {
	}

}

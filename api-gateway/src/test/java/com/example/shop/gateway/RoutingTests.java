package com.example.shop.gateway;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import com.example.shop.gateway.RecordingDownstream.Received;
import com.example.shop.gateway.RecordingDownstream.Reply;

import static com.example.shop.gateway.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routing, headers, the refusal of unsafe paths and the gateway's own answers, against one real
 * downstream server registered as product-service, order-service, notification-service and storefront.
 * inventory-service has no instance at all.
 */
@GatewayTest
// Tracing on as in production (tests switch it off by default), but no span export: no Zipkin here.
@AutoConfigureTracing
@TestPropertySource(properties = "management.tracing.export.zipkin.enabled=false")
class RoutingTests {

	private static final RecordingDownstream downstream = RecordingDownstream.start();

	@DynamicPropertySource
	static void registerDownstream(DynamicPropertyRegistry registry) {
		for (String service : List.of("product-service", "order-service", "notification-service", "storefront")) {
			registry.add("spring.cloud.discovery.client.simple.instances." + service + "[0].uri", downstream::uri);
		}
		Tokens.trustTestIssuer(registry);
	}

	@AfterAll
	static void stopDownstream() {
		downstream.close();
	}

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	/** An admin, who may call every route: these tests are about routing, not about who may call what. */
	private GatewayClient gateway;

	/** No token: what a browser's CORS preflight carries. */
	private GatewayClient anonymous;

	@BeforeEach
	void setUp() {
		anonymous = new GatewayClient(port);
		gateway = anonymous.as(Tokens.admin());
		downstream.reset();
	}

	@Test
	void routesByServiceNameAndKeepsPathAndQuery() {
		downstream.answer(request -> Reply.json(200, "{\"id\":\"p-1\"}"));

		HttpResponse<String> response = gateway.get("/api/products/p-1?category=books&page=1");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"id\":\"p-1\"}");
		assertThat(downstream.received()).singleElement().satisfies(request -> {
			assertThat(request.method()).isEqualTo("GET");
			assertThat(request.pathAndQuery()).isEqualTo("/api/products/p-1?category=books&page=1");
		});
	}

	@Test
	void passesAnOrderPlacementOnWithBodyHeadersAndTheServicesAnswer() {
		downstream.answer(request -> Reply.json(202, "{\"status\":\"PENDING\"}")
			.withHeader("Location", "/api/orders/o-1"));
		String order = "{\"customerId\":\"c-1\",\"items\":[{\"productId\":\"p-1\",\"quantity\":2}]}";

		HttpResponse<String> response = gateway.send("POST", "/api/orders", BodyPublishers.ofString(order),
				"Content-Type", "application/json", "Idempotency-Key", "key-1");

		assertThat(response.statusCode()).isEqualTo(202);
		assertThat(response.headers().firstValue("Location")).hasValue("/api/orders/o-1");
		Received received = downstream.received().getFirst();
		assertThat(received.pathAndQuery()).isEqualTo("/api/orders");
		assertThat(received.bodyText()).isEqualTo(order);
		assertThat(received.header("Idempotency-Key")).isEqualTo("key-1");
	}

	/**
	 * The storefront's pages go through without a token (the storefront has its own login and cookie session), with
	 * the browser's Host, so that the storefront's redirects name the gateway, and with the visitor's address; a path that is neither a page
	 * nor the API is still the gateway's problem+json 404, never a web page.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "/", "/products/p-1", "/cart", "/checkout", "/orders/o-1", "/admin/dead-letters",
			"/oauth2/authorization/keycloak", "/login/oauth2/code/keycloak?code=c&state=s", "/css/shop.css",
			"/products/p-1/stock", "/orders/o-1/status" })
	void passesTheStorefrontsPagesOnWithoutATokenAndWithTheBrowsersHost(String page) {
		downstream.answer(request -> Reply.json(200, "{}"));

		// A client's own claim to be somebody else is replaced by the address the request came from.
		HttpResponse<String> response = anonymous.send("GET", page, BodyPublishers.noBody(), "X-Visitor-Address",
				"192.0.2.66");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(downstream.received()).singleElement().satisfies(request -> {
			assertThat(request.pathAndQuery()).isEqualTo(page);
			assertThat(request.header("Host")).isEqualTo("localhost:" + port);
			assertThat(request.header("X-Visitor-Address")).isEqualTo("127.0.0.1");
		});
	}

	@Test
	void aPathThatIsNeitherAPageNorTheApiIsTheGatewaysProblemNotAPage() {
		assertProblem(gateway.get("/api/no-such-thing"), 404, "Not found");
		assertProblem(gateway.get("/no-such-page"), 404, "Not found");
		assertProblem(anonymous.get("/no-such-page"), 401, "Unauthorized");
		assertThat(downstream.received()).isEmpty();
	}

	@Test
	void rewritesDeadLetterPathsForKnownServicesOnly() {
		assertThat(gateway.get("/api/admin/order-service/dead-letters?page=0").statusCode()).isEqualTo(200);
		assertThat(gateway.send("POST", "/api/admin/notification-service/dead-letters/d-1/replay").statusCode())
			.isEqualTo(200);
		assertThat(downstream.received()).extracting(Received::method, Received::pathAndQuery)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("GET", "/admin/dead-letters?page=0"),
					org.assertj.core.groups.Tuple.tuple("POST", "/admin/dead-letters/d-1/replay"));

		downstream.reset();
		assertProblem(gateway.get("/api/admin/evil-service/dead-letters"), 404, "Not found");
		assertProblem(gateway.get("/api/admin/order-service/actuator/health"), 404, "Not found");
		assertThat(downstream.received()).isEmpty();
	}

	@Test
	void answers503ProblemWhenTheServiceHasNoInstance() {
		JsonNode problem = assertProblem(gateway.get("/api/inventory/p-1"), 503, "Service unavailable");

		assertThat(problem.path("detail").asString()).contains("inventory-service");
		assertThat(problem.path("instance").asString()).isEqualTo("/api/inventory/p-1");
	}

	@Test
	void answersUnknownPathsWith404Problem() {
		HttpResponse<String> response = gateway.get("/no/such/route", "Accept", "text/html");

		JsonNode problem = assertProblem(response, 404, "Not found");
		assertThat(problem.path("instance").asString()).isEqualTo("/no/such/route");
		assertThat(response.body()).doesNotContain("<html", "Whitelabel");
		assertThat(problem.path("requestId").asString())
			.isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
	}

	@Test
	void keepsTheClientsRequestIdAndPassesItOn() {
		HttpResponse<String> response = gateway.get("/api/products", "X-Request-Id", "client-chosen-id-42");

		assertThat(response.headers().firstValue("X-Request-Id")).hasValue("client-chosen-id-42");
		assertThat(downstream.received().getFirst().header("X-Request-Id")).isEqualTo("client-chosen-id-42");
	}

	@Test
	void generatesARequestIdWhenTheClientSentNone() {
		HttpResponse<String> response = gateway.get("/api/products");

		String returned = response.headers().firstValue("X-Request-Id").orElseThrow();
		assertThat(returned).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
		assertThat(downstream.received().getFirst().header("X-Request-Id")).isEqualTo(returned);
		assertThat(gateway.get("/api/products").headers().firstValue("X-Request-Id")).isNotEqualTo(returned);
	}

	/**
	 * Tracing on, as in production: the downstream request continues the client's trace with the gateway's
	 * client span as parent. Of the W3C baggage only the platform's own field travels, the request id
	 * ({@code management.tracing.baggage.remote-fields}): with a field configured, Brave propagates the configured
	 * fields only, so a client's own baggage entries stop at the gateway. The client's {@code tracestate} is not
	 * carried further either (Brave's W3C propagation writes only its own state); docs/observability.md says so.
	 */
	@Test
	void continuesTheClientsW3cTraceAndPassesOnlyThePlatformsBaggageOn() {
		String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

		HttpResponse<String> response = gateway.get("/api/products", "traceparent", traceparent, "tracestate",
				"rojo=00f067aa0ba902b7,congo=t61rcWkgMzE", "baggage", "userId=alice,isProduction=false");

		Received received = downstream.received().getFirst();
		assertThat(received.header("traceparent")).matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01")
			.isNotEqualTo(traceparent);
		assertThat(received.header("baggage"))
			.isEqualTo("X-Request-Id=" + response.headers().firstValue("X-Request-Id").orElseThrow());
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/products/../actuator/health", "/api/products/%2e%2e/actuator/health",
			"/api/products/%2E%2E/actuator/health", "/api/products/.%2e/actuator/health",
			"/api/products/..;/actuator/health", "/api/products/..%2factuator/health",
			"/api/products/%2e%2e%2factuator/health", "/api/products/..%5cactuator/health",
			"/api/products/%252e%252e/actuator/health", "/api/admin/product-service/dead-letters/../../actuator/health" })
	void refusesPathsThatWouldClimbToTheServicesActuator(String path) {
		downstream.answer(request -> Reply.json(200, "{\"status\":\"UP\"}"));

		assertProblem(gateway.get(path), 400, "Bad request");

		assertThat(downstream.received()).isEmpty();
	}

	@Test
	void hasNoRouteToAServicesActuatorByServiceName() {
		downstream.answer(request -> Reply.json(200, "{\"status\":\"UP\"}"));

		assertProblem(gateway.get("/product-service/actuator/health"), 404, "Not found");
		assertProblem(gateway.get("/api/product-service/actuator/health"), 404, "Not found");

		assertThat(downstream.received()).isEmpty();
	}

	/** The actuator on the management port, without a token: what Prometheus and the probes call. */
	@Test
	void exposesOnlyHealthInfoAndPrometheusOfItsOwnActuatorOnTheManagementPort() {
		GatewayClient management = new GatewayClient(managementPort);
		assertThat(management.get("/actuator/health").statusCode()).isEqualTo(200);
		assertThat(management.get("/actuator/info").statusCode()).isEqualTo(200);
		HttpResponse<String> prometheus = management.get("/actuator/prometheus");
		assertThat(prometheus.statusCode()).isEqualTo(200);
		// One breaker per service, registered and reported.
		assertThat(prometheus.body()).contains("resilience4j_circuitbreaker_state{")
			.contains("name=\"product-service\"")
			.contains("name=\"order-service\"");

		HttpResponse<String> wrongMethod = management.send("DELETE", "/actuator/health");
		assertProblem(wrongMethod, 405, "Method not allowed");
		assertThat(wrongMethod.headers().firstValue("Allow")).isPresent();
		assertProblem(management.get("/actuator/gateway/routes"), 404, "Not found");
		assertProblem(management.get("/actuator/env"), 404, "Not found");
		assertThat(downstream.received()).isEmpty();
	}

	/** The public port has the probe groups for a load balancer, and no actuator at all, whoever asks. */
	@ParameterizedTest
	@ValueSource(strings = { "/actuator", "/actuator/health", "/actuator/info", "/actuator/prometheus" })
	void servesNoActuatorOnThePublicPort(String path) {
		assertProblem(anonymous.get(path), 404, "Not found");
		assertProblem(gateway.get(path), 404, "Not found");
		assertThat(anonymous.get("/livez").body()).isEqualTo("{\"status\":\"UP\"}");
		assertThat(anonymous.get("/readyz").body()).isEqualTo("{\"status\":\"UP\"}");
		assertThat(downstream.received()).isEmpty();
	}

	@Test
	void answersCorsPreflightForAnAllowedOrigin() {
		HttpResponse<String> response = anonymous.send("OPTIONS", "/api/orders", "Origin", "http://localhost:5173",
				"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers",
				"content-type,idempotency-key,x-request-id,traceparent");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:5173");
		assertThat(response.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("POST");
		assertThat(response.headers().firstValue("Access-Control-Allow-Headers").orElseThrow().toLowerCase())
			.contains("idempotency-key", "traceparent");
		assertThat(response.headers().firstValue("Access-Control-Max-Age")).hasValue("1800");
		assertThat(downstream.received()).isEmpty();

		HttpResponse<String> actual = anonymous.get("/api/products", "Origin", "http://localhost:5173");
		assertThat(actual.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:5173");
		assertThat(actual.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
			.contains("Location", "X-Request-Id");
	}

	@Test
	void refusesCorsFromAForeignOriginWith403Problem() {
		HttpResponse<String> preflight = anonymous.send("OPTIONS", "/api/orders", "Origin", "https://evil.example",
				"Access-Control-Request-Method", "POST");
		JsonNode refused = assertProblem(preflight, 403, "Forbidden");
		assertThat(refused.path("detail").asString()).contains("CORS");
		assertThat(refused.path("instance").asString()).isEqualTo("/api/orders");
		assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

		HttpResponse<String> actual = anonymous.send("POST", "/api/orders", BodyPublishers.ofString("{}"), "Origin",
				"https://evil.example", "Content-Type", "application/json");
		assertProblem(actual, 403, "Forbidden");
		assertThat(actual.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

		// An allowed origin asking for a method it may not use is refused the same way.
		HttpResponse<String> wrongMethod = anonymous.send("OPTIONS", "/api/orders", "Origin", "http://localhost:5173",
				"Access-Control-Request-Method", "PATCH");
		assertProblem(wrongMethod, 403, "Forbidden");
		assertThat(downstream.received()).isEmpty();
	}

	@Test
	void refusesBodiesOverTheLimitWith413Problem() {
		byte[] overLimit = new byte[1024 * 1024 + 1];

		assertProblem(gateway.send("POST", "/api/products", BodyPublishers.ofByteArray(overLimit), "Content-Type",
				"application/json"), 413, "Payload too large");
		// Chunked, so the size is only known by reading it.
		assertProblem(gateway.send("POST", "/api/products",
				BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[2 * 1024 * 1024])),
				"Content-Type", "application/json"), 413, "Payload too large");

		assertThat(downstream.received()).isEmpty();
	}

	@Test
	void passesBodiesWithinTheLimitIncludingChunkedOnes() {
		byte[] withinLimit = new byte[512 * 1024];
		java.util.Arrays.fill(withinLimit, (byte) 'x');

		assertThat(gateway.send("POST", "/api/products", BodyPublishers.ofByteArray(withinLimit)).statusCode())
			.isEqualTo(200);
		assertThat(gateway.send("POST", "/api/products",
				BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(withinLimit)))
			.statusCode()).isEqualTo(200);

		assertThat(downstream.received()).hasSize(2).allSatisfy(request -> {
			assertThat(request.body()).isEqualTo(withinLimit);
			assertThat(request.header("Content-Length")).isEqualTo(String.valueOf(withinLimit.length));
		});
	}

}

package com.example.shop.gateway;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.example.shop.gateway.RecordingDownstream.Received;
import com.example.shop.testsupport.TestTokens;

import static com.example.shop.gateway.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The gateway as the first check of every token: who may call what (the public contract's table), every way a
 * token can be wrong answered 401 problem+json with {@code WWW-Authenticate}, a missing role 403, and an accepted
 * token relayed to the service unchanged. One real downstream stands in for every service, so anything the
 * gateway let through shows up there. Tokens come from the test JVM's issuer (libs/test-support), which the
 * gateway is pointed at exactly as it is pointed at the realm.
 */
@GatewayTest
class AuthenticationTests {

	private static final RecordingDownstream downstream = RecordingDownstream.start();

	private static final TestTokens issuer = Tokens.ISSUER;

	@DynamicPropertySource
	static void registerDownstreamAndIssuer(DynamicPropertyRegistry registry) {
		for (String service : List.of("product-service", "inventory-service", "order-service", "payment-service",
				"notification-service")) {
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

	private GatewayClient gateway;

	@BeforeEach
	void setUp() {
		gateway = new GatewayClient(port);
		downstream.reset();
	}

	// --- anonymous ---

	@ParameterizedTest
	@CsvSource({ "/api/products?size=5", "/api/products/p-1", "/api/inventory/p-1" })
	void letsAnonymousReadTheCatalogAndStock(String path) {
		HttpResponse<String> response = gateway.get(path);

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(downstream.received()).singleElement().satisfies(request -> {
			assertThat(request.pathAndQuery()).isEqualTo(path);
			assertThat(request.header("Authorization")).isNull();
		});
	}

	@Test
	void keepsItsOwnHealthOpen() {
		assertThat(gateway.get("/livez").statusCode()).isEqualTo(200);
		assertThat(gateway.get("/readyz").statusCode()).isEqualTo(200);
		GatewayClient management = new GatewayClient(managementPort);
		assertThat(management.get("/actuator/health").statusCode()).isEqualTo(200);
		assertThat(management.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
	}

	@ParameterizedTest
	@CsvSource({ "GET, /api/orders?customerId=c-1", "POST, /api/orders", "GET, /api/orders/o-1",
			"POST, /api/orders/o-1/cancel", "GET, /api/payments?orderId=o-1", "GET, /api/notifications?orderId=o-1",
			"POST, /api/products", "PUT, /api/products/p-1", "DELETE, /api/products/p-1", "PUT, /api/inventory/p-1",
			"HEAD, /api/products", "GET, /api/admin/order-service/dead-letters", "GET, /ws/orders/o-1",
			"GET, /no/such/route", "GET, /fallback/product-service" })
	void answersEverythingElseWithoutATokenWith401(String method, String path) {
		HttpResponse<String> response = call(gateway, method, path);

		if ("HEAD".equals(method)) {
			assertThat(response.statusCode()).isEqualTo(401);
		}
		else {
			JsonNode problem = assertProblem(response, 401, "Unauthorized");
			assertThat(problem.path("type").asString()).isEqualTo("https://shop.example.com/problems/unauthorized");
			assertThat(problem.path("detail").asString()).contains("needs a bearer token");
			assertThat(problem.path("instance").asString()).isEqualTo(path.replaceFirst("\\?.*", ""));
		}
		// RFC 6750: no error code when the request carried no token at all.
		assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
		assertThat(downstream.received()).isEmpty();
	}

	// --- tokens that are not accepted ---

	static Stream<Arguments> refusedTokens() {
		Instant now = Instant.now();
		return Stream.of(
				arguments("expired", Tokens.expiredCustomer(now.minus(Duration.ofMinutes(2))), "it has expired"),
				arguments("not valid yet",
						issuer.token().roles("customer").notBefore(now.plus(Duration.ofMinutes(2))).sign(),
						"it is not valid yet"),
				arguments("signed by a stranger", issuer.token().roles("customer").signedByStranger().sign(),
						"its signature does not verify"),
				arguments("alg none", issuer.token().roles("customer").unsigned(), "it is not signed with RS256"),
				arguments("HS256 with the realm's public key as secret",
						issuer.token().roles("customer").signedWithPublicKeyAsHmacSecret(), "it is not signed with RS256"),
				arguments("another issuer",
						issuer.token().roles("customer").issuer("http://127.0.0.1:8180/realms/master").sign(),
						"it was not issued by the shop realm"),
				arguments("another audience", issuer.token().roles("customer").audience("account").sign(),
						"it is not meant for this API"),
				arguments("no expiry", issuer.token().roles("customer").expiresAt(null).sign(), "it has no expiry"),
				arguments("garbage", "not-a-jwt", "it is not a well-formed signed JWT"),
				arguments("three garbage parts", "eyJhbGciOiJSUzI1NiJ9.garbage.garbage",
						"it is not a well-formed signed JWT"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("refusedTokens")
	void answersATokenThatIsNotAcceptedWith401SayingWhy(String kind, String token, String reason) {
		HttpResponse<String> response = gateway.get("/api/orders/o-1", "Authorization", "Bearer " + token);

		JsonNode problem = assertProblem(response, 401, "Unauthorized");
		assertThat(problem.path("detail").asString()).startsWith("The bearer token is not accepted: " + reason);
		String challenge = response.headers().firstValue("WWW-Authenticate").orElseThrow();
		assertThat(challenge).startsWith("Bearer error=\"invalid_token\", error_description=\"")
			.contains(reason);
		assertThat(response.body()).doesNotContain(token);
		assertThat(challenge).doesNotContain(token);
		assertThat(downstream.received()).isEmpty();
	}

	@Test
	void acceptsATokenThatExpiredWithinTheClockSkew() {
		String justExpired = Tokens.expiredCustomer(Instant.now().minusSeconds(10));

		assertThat(gateway.get("/api/orders/o-1", "Authorization", "Bearer " + justExpired).statusCode()).isEqualTo(200);
	}

	@Test
	void refusesABrokenTokenEvenWhereAnonymousIsAllowed() {
		// A client that sends a token means it to count; an expired one is 401, not silently anonymous.
		String expired = Tokens.expiredCustomer(Instant.now().minus(Duration.ofHours(1)));

		assertProblem(gateway.get("/api/products", "Authorization", "Bearer " + expired), 401, "Unauthorized");
		assertThat(downstream.received()).isEmpty();
	}

	@Test
	void answersAMalformedAuthorizationHeaderWith401() {
		HttpResponse<String> response = gateway.get("/api/orders/o-1", "Authorization", "Bearer a b c");

		JsonNode problem = assertProblem(response, 401, "Unauthorized");
		assertThat(problem.path("detail").asString()).contains("RFC 6750");
		assertThat(downstream.received()).isEmpty();
	}

	// --- roles ---

	@ParameterizedTest
	@CsvSource({ "POST, /api/products", "PUT, /api/products/p-1", "PATCH, /api/products/p-1",
			"DELETE, /api/products/p-1", "PUT, /api/inventory/p-1", "GET, /api/admin/product-service/dead-letters",
			"POST, /api/admin/payment-service/dead-letters/d-1/replay",
			"DELETE, /api/admin/notification-service/dead-letters/d-1" })
	void answersACustomerOnAnAdminRouteWith403(String method, String path) {
		HttpResponse<String> response = call(gateway.as(Tokens.customer()), method, path);

		JsonNode problem = assertProblem(response, 403, "Forbidden");
		assertThat(problem.path("type").asString()).isEqualTo("https://shop.example.com/problems/forbidden");
		assertThat(problem.path("detail").asString()).contains("lacks the role", "admin");
		assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
			.startsWith("Bearer error=\"insufficient_scope\"");
		assertThat(downstream.received()).isEmpty();
	}

	@ParameterizedTest
	@CsvSource({ "POST, /api/products, /api/products", "PUT, /api/products/p-1, /api/products/p-1",
			"DELETE, /api/products/p-1, /api/products/p-1", "PUT, /api/inventory/p-1, /api/inventory/p-1",
			"GET, /api/admin/product-service/dead-letters, /admin/dead-letters",
			"POST, /api/admin/payment-service/dead-letters/d-1/replay, /admin/dead-letters/d-1/replay" })
	void letsAnAdminThroughWithTheTokenRelayed(String method, String path, String servicePath) {
		String admin = Tokens.admin();

		HttpResponse<String> response = call(gateway, method, path, "Authorization", "Bearer " + admin);

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(downstream.received()).singleElement().satisfies(request -> {
			assertThat(request.pathAndQuery()).isEqualTo(servicePath);
			assertThat(request.header("Authorization")).isEqualTo("Bearer " + admin);
		});
	}

	@Test
	void refusesAServiceAccountWithoutTheAdminRoleOnAdminRoutes() {
		String service = issuer.service("order-service", "catalog.read", "inventory.read");

		assertProblem(gateway.as(service).get("/api/admin/order-service/dead-letters"), 403, "Forbidden");
		assertThat(gateway.as(service).get("/api/orders/o-1").statusCode()).isEqualTo(200);
	}

	// --- customers, and the token relayed ---

	@ParameterizedTest
	@CsvSource({ "POST, /api/orders, ", "POST, /api/orders, key-1", "GET, /api/orders?customerId=c-1, ",
			"GET, /api/orders/o-1, ", "POST, /api/orders/o-1/cancel, ", "GET, /api/payments?orderId=o-1, ",
			"GET, /api/notifications?orderId=o-1, ", "GET, /api/products/p-1, " })
	void letsACustomerThroughAndRelaysTheTokenUnchanged(String method, String path, String idempotencyKey) {
		String customer = issuer.customer("8d4f2f8e-5b7a-4c1e-9a8e-2b1f0c3d4e5f");
		List<String> headers = new ArrayList<>(List.of("Authorization", "Bearer " + customer));
		if (idempotencyKey != null) {
			headers.addAll(List.of("Idempotency-Key", idempotencyKey));
		}

		HttpResponse<String> response = call(gateway, method, path, headers.toArray(String[]::new));

		assertThat(response.statusCode()).isEqualTo(200);
		Received received = downstream.received().getFirst();
		assertThat(received.method()).isEqualTo(method);
		assertThat(received.pathAndQuery()).isEqualTo(path);
		assertThat(received.headers().get("Authorization")).containsExactly("Bearer " + customer);
	}

	// --- browsers ---

	@Test
	void letsABrowserOfAnAllowedOriginReadTheRefusal() {
		HttpResponse<String> response = gateway.get("/api/orders/o-1", "Origin", "http://localhost:5173");

		assertProblem(response, 401, "Unauthorized");
		assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:5173");
		assertThat(response.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
			.contains("X-Request-Id", "WWW-Authenticate");
	}

	@Test
	void answersAPreflightWithoutAToken() {
		HttpResponse<String> response = gateway.send("OPTIONS", "/api/orders", "Origin", "http://localhost:5173",
				"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization,content-type");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:5173");
		assertThat(response.headers().firstValue("Access-Control-Allow-Headers").orElseThrow().toLowerCase())
			.contains("authorization");
		assertThat(downstream.received()).isEmpty();
	}

	/** A JSON body for the methods that carry one, none for the others. */
	private static HttpResponse<String> call(GatewayClient client, String method, String path, String... headers) {
		if (List.of("POST", "PUT", "PATCH").contains(method)) {
			List<String> withType = new ArrayList<>(List.of(headers));
			withType.addAll(List.of("Content-Type", "application/json"));
			return client.send(method, path, BodyPublishers.ofString("{}"), withType.toArray(String[]::new));
		}
		return client.send(method, path, headers);
	}

}

package com.example.shop.gateway;

import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.example.shop.gateway.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests a fuzzer sends, refused by the gateway's own filters with 4xx problem+json (request id
 * included) before any service sees them. A real downstream stands behind the routes, so a request that
 * got through would show up there.
 */
@GatewayTest
class HostileInputTests {

	private static final RecordingDownstream downstream = RecordingDownstream.start();

	@DynamicPropertySource
	static void registerDownstream(DynamicPropertyRegistry registry) {
		for (String service : List.of("product-service", "order-service", "notification-service")) {
			registry.add("spring.cloud.discovery.client.simple.instances." + service + "[0].uri", downstream::uri);
		}
	}

	@AfterAll
	static void stopDownstream() {
		downstream.close();
	}

	@LocalServerPort
	int port;

	private GatewayClient gateway;

	@BeforeEach
	void setUp() {
		gateway = new GatewayClient(port);
		downstream.reset();
	}

	@ParameterizedTest
	@CsvSource({ "/api/products?q=%00, invalid-character", "/api/products/p%00, invalid-character",
			"/api/products/p%01, invalid-character", "/api/products?q=a%1Fb, invalid-character",
			"/api/products?q=%0d%0aSet-Cookie:x, invalid-character", "/api/products?q=%7F, invalid-character",
			"/api/products/%FF%FE, invalid-encoding", "/api/products?q=%C0%80, invalid-encoding",
			"/api/products/%c0%ae%c0%ae/x, invalid-encoding", "/api/products?q=%ED%A0%80, invalid-encoding",
			"/api/orders/%ED%A0%80, invalid-encoding", "/api/products?q=%E2%82, invalid-encoding" })
	void refusesControlCharactersAndInvalidEncodingsInPathOrQuery(String target, String type) {
		JsonNode problem = assertProblem(gateway.get(target), 400, "Bad request");

		assertThat(problem.path("type").asString()).isEqualTo("https://shop.example.com/problems/" + type);
		assertThat(downstream.received()).isEmpty();
	}

	@Test
	void passesCleanPercentEncodedTextOn() {
		HttpResponse<String> response = gateway.get("/api/products?q=caf%C3%A9+cr%C3%A8me&tag=%F0%9F%93%9A");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(downstream.received()).singleElement()
			.satisfies(request -> assertThat(request.pathAndQuery())
				.isEqualTo("/api/products?q=caf%C3%A9+cr%C3%A8me&tag=%F0%9F%93%9A"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "TRACE", "CONNECT", "PROPFIND", "FOO", "BREW" })
	void answersMethodsTheApiDoesNotUseWith405AndAllow(String method) {
		RawHttp.Response response = RawHttp.exchange(port, RawHttp.request(method, "/api/products/p-1", ""));

		JsonNode problem = assertProblem(response, 405, "Method not allowed");
		assertThat(response.header("Allow")).isEqualTo("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
		assertThat(problem.path("detail").asString()).contains(method);
		assertThat(downstream.received()).isEmpty();
	}

	@Test
	void answersAWebSocketUpgradeWithoutKeyWith400() {
		RawHttp.Response response = RawHttp.exchange(port, RawHttp.request("GET", "/ws/orders/o-1",
				"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"));

		JsonNode problem = assertProblem(response, 400, "Bad request");
		assertThat(problem.path("detail").asString()).contains("Sec-WebSocket-Key");
		assertThat(problem.path("instance").asString()).isEqualTo("/ws/orders/o-1");
		assertThat(downstream.received()).isEmpty();
	}

	@Test
	void answersAWebSocketUpgradeWithAMalformedKeyWith400() {
		assertProblem(RawHttp.exchange(port, RawHttp.request("GET", "/ws/orders/o-1",
				"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: short\r\n")),
				400, "Bad request");
		assertThat(downstream.received()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "Sec-WebSocket-Version: 8\r\n", "Sec-WebSocket-Version: 14\r\n", "" })
	void answersAWebSocketUpgradeWithAnotherOrNoVersionWith426(String versionHeader) {
		RawHttp.Response response = RawHttp.exchange(port, RawHttp.request("GET", "/ws/orders/o-1",
				"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
						+ versionHeader));

		assertProblem(response, 426, "Upgrade required");
		assertThat(response.header("Sec-WebSocket-Version")).isEqualTo("13");
		assertThat(downstream.received()).isEmpty();
	}

}

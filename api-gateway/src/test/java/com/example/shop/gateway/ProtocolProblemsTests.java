package com.example.shop.gateway;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.example.shop.gateway.ProblemAssert.assertProtocolProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Reactor Netty refuses before the application sees a request (an unparseable request line or
 * header, a request line or head over the limits), answered as problem+json, and the request head
 * deadline against a slowloris client. Raw bytes over a socket: HTTP clients refuse to send such
 * requests. The limits are application.yml's (4 KB request line, 8 KB headers, 10 s for a head).
 */
@GatewayTest
class ProtocolProblemsTests {

	private static final RecordingDownstream productService = RecordingDownstream.start();

	@DynamicPropertySource
	static void registerDownstream(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.discovery.client.simple.instances.product-service[0].uri", productService::uri);
	}

	@AfterAll
	static void stopDownstream() {
		productService.close();
	}

	@LocalServerPort
	int port;

	@BeforeEach
	void setUp() {
		productService.reset();
	}

	@ParameterizedTest
	@ValueSource(strings = { "GET /api/products/{id} HTTP/1.1\r\nHost: localhost\r\n\r\n",
			"GET /api/products/% HTTP/1.1\r\nHost: localhost\r\n\r\n",
			"GET /api/products?q=%zz HTTP/1.1\r\nHost: localhost\r\n\r\n",
			"GET /api/products?q=a\u0001b HTTP/1.1\r\nHost: localhost\r\n\r\n",
			"GET /api/products HTTP/1.1\r\nHost: localhost\r\nX-Note: a\u0001b\r\n\r\n",
			"GET /api/products HTTP/1.1\r\nHost: localhost\r\nX-Note: a\u0000b\r\n\r\n",
			"GET /api/products HTTP/1.1\r\nHost: localhost\r\nX Bad Name: x\r\n\r\n",
			"GET  HTTP/1.1\r\nHost: localhost\r\n\r\n" })
	void answersAnUnparseableRequestWith400Problem(String request) {
		RawHttp.Response response = RawHttp.exchange(port, request);

		assertProtocolProblem(response, 400, "Bad request");
		assertThat(productService.received()).isEmpty();
	}

	@Test
	void answersATooLongRequestLineWith414Problem() {
		String target = "/api/products?q=" + "x".repeat(4 * 1024);

		RawHttp.Response response = RawHttp.exchange(port, RawHttp.request("GET", target, ""));

		JsonNode problem = assertProtocolProblem(response, 414, "URI too long");
		assertThat(problem.path("type").asString()).isEqualTo("https://shop.example.com/problems/uri-too-long");
		assertThat(problem.path("detail").asString()).contains("4 KB");
		assertThat(productService.received()).isEmpty();
	}

	@Test
	void answersTooLargeHeadersWith431Problem() {
		String header = "X-Padding: " + "x".repeat(9 * 1024) + "\r\n";

		RawHttp.Response response = RawHttp.exchange(port, RawHttp.request("GET", "/api/products", header));

		JsonNode problem = assertProtocolProblem(response, 431, "Request header fields too large");
		assertThat(problem.path("detail").asString()).contains("8 KB");
		assertThat(productService.received()).isEmpty();
	}

	@Test
	void servesARequestJustWithinTheLimits() {
		String target = "/api/products?q=" + "x".repeat(3 * 1024);
		String header = "X-Padding: " + "x".repeat(7 * 1024) + "\r\n";

		RawHttp.Response response = RawHttp.exchange(port, RawHttp.request("GET", target, header + "Connection: close\r\n"));

		assertThat(response.status()).isEqualTo(200);
		assertThat(productService.received()).hasSize(1);
	}

	/**
	 * A slowloris client: the request line, then one header byte a second, never the end of the head.
	 * The gateway closes the connection once the 10 s head deadline has passed.
	 */
	@Test
	void closesASlowlorisConnectionAtTheRequestHeadDeadline() throws Exception {
		ExecutorService trickle = Executors.newSingleThreadExecutor();
		try (RawHttp slowloris = RawHttp.connect(port)) {
			Instant start = Instant.now();
			slowloris.write("GET /api/products HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
			Future<?> bytes = trickle.submit(() -> {
				try {
					while (!Thread.currentThread().isInterrupted()) {
						Thread.sleep(1000);
						slowloris.write("X".getBytes(StandardCharsets.US_ASCII));
					}
				}
				catch (InterruptedException | IllegalStateException stopped) {
					// Interrupted by the test, or the gateway closed the connection.
				}
			});

			boolean closed = slowloris.closedByServer(15_000);

			Duration took = Duration.between(start, Instant.now());
			bytes.cancel(true);
			assertThat(closed).as("closed by the gateway").isTrue();
			assertThat(took).isBetween(Duration.ofMillis(9_500), Duration.ofMillis(11_500));
			System.out.println("Slowloris connection closed by the gateway after " + took.toMillis() + " ms");
		}
		finally {
			trickle.shutdownNow();
		}
		assertThat(productService.received()).isEmpty();
		// Everyone else is still served.
		assertThat(RawHttp.exchange(port, RawHttp.request("GET", "/api/products", "Connection: close\r\n")).status())
			.isEqualTo(200);
	}

}

package com.example.shop.gateway;

import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import com.example.shop.gateway.RecordingDownstream.Reply;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request id on the gateway's log lines, after the trace and span ids ({@code [api-gateway,traceId,spanId,
 * requestId]}, the pattern of libs/service-defaults), and on the call to the service, once: the client's id when it
 * is usable, otherwise the one the gateway answers with, also in the log. The line logged is the fallback's, for a
 * route whose service has no instance (inventory-service).
 */
@GatewayTest
// Tracing on as in production (tests switch it off by default), but no span export: no Zipkin here.
@AutoConfigureTracing
@TestPropertySource(properties = "management.tracing.export.zipkin.enabled=false")
@ExtendWith(OutputCaptureExtension.class)
class RequestIdLoggingTests {

	private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

	private static final RecordingDownstream downstream = RecordingDownstream.start();

	@DynamicPropertySource
	static void registerDownstream(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.discovery.client.simple.instances.product-service[0].uri", downstream::uri);
		Tokens.trustTestIssuer(registry);
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
		gateway = new GatewayClient(port).as(Tokens.admin());
		downstream.reset();
		downstream.answer(request -> Reply.json(200, "[]"));
	}

	@Test
	void logsTheClientsRequestIdWithTheTraceOnALineOfTheRequest(CapturedOutput output) {
		HttpResponse<String> response = gateway.get("/api/inventory/p-1", "X-Request-Id", "abc123", "traceparent",
				"00-" + TRACE_ID + "-b7ad6b7169203331-01");

		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(lineAbout("GET /api/inventory/p-1 answered 503", output))
			.containsPattern("\\[api-gateway," + TRACE_ID + ",[0-9a-f]{16},abc123\\] ");
	}

	@Test
	void logsTheGatewaysOwnIdInsteadOfAnUnusableOne(CapturedOutput output) {
		HttpResponse<String> response = gateway.get("/api/inventory/p-2", "X-Request-Id", "forged id");

		String returned = response.headers().firstValue("X-Request-Id").orElseThrow();
		assertThat(returned).isNotEqualTo("forged id");
		assertThat(lineAbout("GET /api/inventory/p-2 answered 503", output))
			.containsPattern("\\[api-gateway,[0-9a-f]{32},[0-9a-f]{16}," + returned + "\\] ")
			.doesNotContain("forged id");
	}

	@Test
	void passesTheClientsIdOnOnce() {
		gateway.get("/api/products", "X-Request-Id", "abc123");

		assertThat(downstream.received().getFirst().headers().get("X-Request-Id")).containsExactly("abc123");
	}

	@Test
	void passesTheGatewaysOwnIdOnInsteadOfAnUnusableOne() {
		HttpResponse<String> response = gateway.get("/api/products", "X-Request-Id", "x".repeat(129));

		String returned = response.headers().firstValue("X-Request-Id").orElseThrow();
		assertThat(downstream.received().getFirst().headers().get("X-Request-Id")).containsExactly(returned);
	}

	private static String lineAbout(String message, CapturedOutput output) {
		List<String> lines = output.getAll().lines().filter(line -> line.contains(message)).toList();
		assertThat(lines).as("log lines with \"%s\"", message).hasSize(1);
		return lines.getFirst();
	}

}

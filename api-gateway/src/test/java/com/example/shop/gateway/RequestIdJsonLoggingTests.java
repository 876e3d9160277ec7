package com.example.shop.gateway;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the profile {@code json-logs} (libs/service-defaults' variant), a line of a request is one JSON object with
 * the request id and the trace as fields of their own: {@code X-Request-Id}, {@code traceId}, {@code spanId}.
 */
@GatewayTest
@AutoConfigureTracing
@TestPropertySource(properties = "management.tracing.export.zipkin.enabled=false")
@ActiveProfiles("json-logs")
@ExtendWith(OutputCaptureExtension.class)
class RequestIdJsonLoggingTests {

	private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@DynamicPropertySource
	static void trustTheTestIssuer(DynamicPropertyRegistry registry) {
		Tokens.trustTestIssuer(registry);
	}

	@LocalServerPort
	int port;

	@Test
	void aLineOfTheRequestHasTheRequestIdAndTheTraceAsFields(CapturedOutput output) {
		new GatewayClient(port).as(Tokens.admin())
			.get("/api/inventory/p-1", "X-Request-Id", "abc123", "traceparent", "00-" + TRACE_ID + "-b7ad6b7169203331-01");

		List<JsonNode> events = output.getAll().lines().filter(line -> line.startsWith("{"))
			.map(JSON::readTree)
			.filter(event -> event.path("message").asString().startsWith("GET /api/inventory/p-1 answered 503"))
			.toList();
		assertThat(events).singleElement().satisfies(event -> {
			assertThat(event.path("X-Request-Id").asString()).isEqualTo("abc123");
			assertThat(event.path("traceId").asString()).isEqualTo(TRACE_ID);
			assertThat(event.path("spanId").asString()).matches("[0-9a-f]{16}");
			assertThat(event.path("application").asString()).isEqualTo("api-gateway");
		});
	}

}

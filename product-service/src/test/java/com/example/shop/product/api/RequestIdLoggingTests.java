package com.example.shop.product.api;

import java.time.Duration;

import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.TestTokens;
import com.example.shop.testsupport.UsesInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The request id the gateway sends ({@code X-Request-Id}) on the service's log lines of that request, after the
 * trace and span ids: {@code [product-service,traceId,spanId,requestId]}, the pattern and baggage of
 * libs/service-defaults. The line is the audit line of an admin's write, logged inside the request.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
// Tracing on as in production (tests switch it off by default), but no span export: no Zipkin here.
@AutoConfigureTracing
@TestPropertySource(properties = "management.tracing.export.zipkin.enabled=false")
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.REDIS, Infrastructure.KAFKA, Infrastructure.TOKENS })
@ExtendWith(OutputCaptureExtension.class)
class RequestIdLoggingTests {

	private static final TestTokens tokens = TestTokens.issuer();

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	@Autowired
	RestTestClient client;

	@Test
	void aLineLoggedInARequestCarriesItsRequestIdAndTrace(CapturedOutput output) {
		this.client.post()
			.uri("/api/products")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.admin())
			.header("X-Request-Id", "abc123")
			.header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01")
			.contentType(MediaType.APPLICATION_JSON)
			.body(ProductWriteApiTests.json("RID-0001", "Request id test", "toys", "5.00", "EUR"))
			.exchange()
			.expectStatus()
			.isCreated();

		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(output.getAll().lines()
				.filter(line -> line.contains("audit subject=test-admin action=POST target=/api/products status=201")))
				.singleElement()
				.asString()
				.containsPattern("\\[product-service," + TRACE_ID + ",[0-9a-f]{16},abc123\\] "));
	}

	@Test
	void withoutARequestIdTheFieldStaysEmpty(CapturedOutput output) {
		this.client.post()
			.uri("/api/products")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.admin())
			.contentType(MediaType.APPLICATION_JSON)
			.body(ProductWriteApiTests.json("RID-0002", "No request id", "toys", "5.00", "EUR"))
			.exchange()
			.expectStatus()
			.isCreated();

		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(output.getAll().lines()
				.filter(line -> line.contains("audit subject=test-admin action=POST target=/api/products status=201")))
				.singleElement()
				.asString()
				.containsPattern("\\[product-service,[0-9a-f]{32},[0-9a-f]{16},\\] "));
	}

}

package com.example.shop.gateway;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.example.shop.gateway.RecordingDownstream.Reply;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's security headers on every answer, proxied or its own, without overriding what a service says
 * about its answer (Cache-Control, or a header of the same name).
 */
@GatewayTest
class SecurityHeadersTests {

	private static final RecordingDownstream productService = RecordingDownstream.start();

	@DynamicPropertySource
	static void registerDownstream(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.discovery.client.simple.instances.product-service[0].uri", productService::uri);
		Tokens.trustTestIssuer(registry);
	}

	@AfterAll
	static void stopDownstream() {
		productService.close();
	}

	@LocalServerPort
	int port;

	@Test
	void aProxiedAnswerGetsTheHeadersAndKeepsItsOwnCaching() {
		productService.answer(request -> Reply.json(200, "{\"id\":\"p-1\"}").withHeader("Cache-Control", "max-age=60"));

		HttpResponse<String> answer = new GatewayClient(port).get("/api/products/p-1");

		assertThat(answer.statusCode()).isEqualTo(200);
		assertSecurityHeaders(answer);
		assertThat(answer.headers().allValues("Cache-Control")).containsExactly("max-age=60");
		assertThat(answer.headers().firstValue("Strict-Transport-Security")).as("plain HTTP: HSTS would be ignored")
			.isEmpty();
	}

	@Test
	void aServicesOwnValueOfAHeaderWins() {
		productService.answer(request -> Reply.json(200, "{}").withHeader("Referrer-Policy", "same-origin"));

		HttpResponse<String> answer = new GatewayClient(port).get("/api/products/p-2");

		assertThat(answer.headers().allValues("Referrer-Policy")).containsExactly("same-origin");
		assertThat(answer.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
	}

	@Test
	void theGatewaysOwnAnswersGetThemToo() {
		HttpResponse<String> unauthorized = new GatewayClient(port).get("/api/orders");
		assertThat(unauthorized.statusCode()).isEqualTo(401);
		assertSecurityHeaders(unauthorized);

		HttpResponse<String> notFound = new GatewayClient(port).as(Tokens.admin()).get("/api/nothing-here");
		assertThat(notFound.statusCode()).isEqualTo(404);
		assertSecurityHeaders(notFound);
	}

	private static void assertSecurityHeaders(HttpResponse<String> answer) {
		assertThat(answer.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
		assertThat(answer.headers().firstValue("X-Frame-Options")).hasValue("DENY");
		assertThat(answer.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
		assertThat(answer.headers().firstValue("Content-Security-Policy"))
			.hasValue("default-src 'none'; frame-ancestors 'none'");
	}

}

package com.example.shop.gateway;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No token is ever written to the log, also with the loggers a diagnosis turns up: the gateway's own, Spring
 * Cloud Gateway's, Spring Security's and Reactor Netty's at DEBUG. (Spring Cloud Gateway's tracing filter would
 * log the Authorization header at DEBUG; application.yml pins that one logger to INFO.) Accepted, refused and
 * broken tokens, on HTTP routes and a WebSocket.
 */
@GatewayTest
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = { "logging.level.com.example.shop.gateway=DEBUG",
		"logging.level.org.springframework.cloud.gateway=DEBUG", "logging.level.org.springframework.security=DEBUG",
		"logging.level.reactor.netty=DEBUG" })
class TokenLoggingTests {

	private static final RecordingDownstream downstream = RecordingDownstream.start();

	@DynamicPropertySource
	static void registerDownstreamAndIssuer(DynamicPropertyRegistry registry) {
		for (String service : List.of("product-service", "order-service", "notification-service")) {
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

	@Test
	void writesNoTokenToTheLog(CapturedOutput output) {
		GatewayClient gateway = new GatewayClient(port);
		List<String> tokens = new ArrayList<>(List.of(Tokens.customer(), Tokens.admin(),
				Tokens.expiredCustomer(Instant.now().minusSeconds(600)),
				Tokens.ISSUER.token().roles("customer").signedByStranger().sign(),
				Tokens.ISSUER.token().roles("admin").unsigned(), "eyJhbGciOiJSUzI1NiJ9.garbage.garbage"));
		for (String token : tokens) {
			gateway.get("/api/orders/o-1", "Authorization", "Bearer " + token);
			gateway.send("DELETE", "/api/products/p-1", "Authorization", "Bearer " + token);
			// A WebSocket handshake with the token as subprotocol (the downstream is no WebSocket server: the
			// handshake is what matters here).
			RawHttp.exchange(port, RawHttp.request("GET", "/ws/orders/o-1", "Upgrade: websocket\r\n"
					+ "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
					+ "Sec-WebSocket-Protocol: bearer, " + token + "\r\nConnection: close\r\n"));
		}

		assertThat(downstream.received()).isNotEmpty();
		for (String token : tokens) {
			// Nor the signature alone, the part that makes a token usable.
			assertThat(output.getAll()).doesNotContain(token).doesNotContain(signatureOf(token));
		}
	}

	private static String signatureOf(String token) {
		String signature = token.substring(token.lastIndexOf('.') + 1);
		return signature.isEmpty() ? token : signature;
	}

}

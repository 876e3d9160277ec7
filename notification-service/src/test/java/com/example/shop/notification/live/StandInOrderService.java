package com.example.shop.notification.live;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.example.shop.security.TokenChecks;
import com.example.shop.testsupport.TestTokens;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * A stand-in for order-service over real HTTP on a loopback port: {@code GET /api/orders/{id}} answers what a
 * test told it for that order, 404 problem+json for any other. Checks the bearer token first, as order-service does
 * for a service: signed by {@link TestTokens}' issuer and valid (libs/security's {@link TokenChecks}: issuer,
 * audience, expiry), with the scope {@code orders.read}; 401 or 403 problem+json otherwise. Counts the calls it got,
 * keeps the bearer tokens it accepted and the trace context.
 */
final class StandInOrderService implements AutoCloseable {

	/** What to answer for one order. */
	sealed interface Answer {
	}

	/** The order, {@code customerId}'s. */
	record Order(String status, String cancellationReason, String updatedAt, UUID customerId) implements Answer {
	}

	record Status(int code) implements Answer {
	}

	record Slow(Duration delay) implements Answer {
	}

	private final HttpServer server;

	private final Map<UUID, Answer> answers = new ConcurrentHashMap<>();

	private final AtomicInteger calls = new AtomicInteger();

	private final Map<String, String> traceparents = new ConcurrentHashMap<>();

	private final Map<String, String> requestIds = new ConcurrentHashMap<>();

	private final List<String> acceptedTokens = new CopyOnWriteArrayList<>();

	private final AtomicInteger refusedTokens = new AtomicInteger();

	private final JwtDecoder tokens = tokenDecoder();

	StandInOrderService() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/api/orders/", this::handle);
		this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		this.server.start();
	}

	String uri() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	void answer(UUID orderId, Answer answer) {
		this.answers.put(orderId, answer);
	}

	int calls() {
		return this.calls.get();
	}

	/** The bearer tokens of the calls it answered, in order. */
	List<String> acceptedTokens() {
		return List.copyOf(this.acceptedTokens);
	}

	/** Calls refused for their token (none, invalid, or without scope orders.read). */
	int refusedTokens() {
		return this.refusedTokens.get();
	}

	/** The W3C traceparent header of the last request for {@code orderId}, or null if none came or it had none. */
	String traceparent(UUID orderId) {
		return this.traceparents.get(orderId.toString());
	}

	/** The X-Request-Id header of the last request for {@code orderId}, or null if none came or it had none. */
	String requestId(UUID orderId) {
		return this.requestIds.get(orderId.toString());
	}

	private void handle(HttpExchange exchange) throws IOException {
		this.calls.incrementAndGet();
		String path = exchange.getRequestURI().getPath();
		String traceparent = exchange.getRequestHeaders().getFirst("traceparent");
		if (traceparent != null) {
			this.traceparents.put(path.substring("/api/orders/".length()), traceparent);
		}
		String requestId = exchange.getRequestHeaders().getFirst("X-Request-Id");
		if (requestId != null) {
			this.requestIds.put(path.substring("/api/orders/".length()), requestId);
		}
		String refusal = checkToken(exchange.getRequestHeaders().getFirst("Authorization"));
		if (refusal != null) {
			this.refusedTokens.incrementAndGet();
			try (exchange) {
				int status = refusal.startsWith("insufficient_scope") ? 403 : 401;
				exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"" + refusal.split(":")[0] + "\"");
				respond(exchange, status, "application/problem+json", "{\"status\": " + status + "}");
			}
			return;
		}
		Answer answer;
		try {
			answer = this.answers.get(UUID.fromString(path.substring("/api/orders/".length())));
		}
		catch (IllegalArgumentException ex) {
			answer = new Status(400);
		}
		try (exchange) {
			switch (answer) {
				case Order order -> respond(exchange, 200, "application/json", """
						{"id": "%s", "customerId": "%s", "customerEmail": "ada@example.com", "status": "%s",
						 "cancellationReason": %s, "items": [], "total": 12.50, "currency": "EUR",
						 "createdAt": "2026-11-30T10:00:00Z", "updatedAt": "%s"}
						""".formatted(path.substring("/api/orders/".length()), order.customerId(), order.status(),
						order.cancellationReason() == null ? "null" : "\"" + order.cancellationReason() + "\"",
						order.updatedAt()));
				case Slow slow -> {
					sleep(slow.delay());
					respond(exchange, 503, "application/problem+json", "{\"status\": 503}");
				}
				case Status status -> respond(exchange, status.code(), "application/problem+json",
						"{\"status\": " + status.code() + "}");
				case null -> respond(exchange, 404, "application/problem+json",
						"{\"type\": \"https://shop.example.com/problems/not-found\", \"status\": 404}");
			}
		}
	}

	/** Null when the token is one order-service accepts for this call; otherwise why not. */
	private String checkToken(String authorization) {
		if (authorization == null || !authorization.startsWith("Bearer ")) {
			return "invalid_token: no bearer token";
		}
		String token = authorization.substring("Bearer ".length());
		Jwt jwt;
		try {
			jwt = this.tokens.decode(token);
		}
		catch (JwtException ex) {
			return "invalid_token: " + ex.getMessage();
		}
		String scope = jwt.getClaimAsString("scope");
		if (scope == null || !List.of(scope.split(" ")).contains("orders.read")) {
			return "insufficient_scope: no orders.read";
		}
		this.acceptedTokens.add(token);
		return null;
	}

	private static JwtDecoder tokenDecoder() {
		TestTokens issuer = TestTokens.issuer();
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(issuer.jwkSetUri())
			.jwsAlgorithm(SignatureAlgorithm.RS256)
			.build();
		decoder.setJwtValidator(TokenChecks.of(issuer.issuerUri(), TestTokens.AUDIENCE, Duration.ofSeconds(30)));
		return decoder;
	}

	private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", contentType);
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	private static void sleep(Duration delay) {
		try {
			Thread.sleep(delay);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}

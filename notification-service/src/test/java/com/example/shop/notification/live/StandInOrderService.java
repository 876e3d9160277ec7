package com.example.shop.notification.live;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for order-service over real HTTP on a loopback port: {@code GET /api/orders/{id}} answers what a
 * test told it for that order, 404 problem+json for any other. Counts the calls it got and keeps their trace
 * context.
 */
final class StandInOrderService implements AutoCloseable {

	/** What to answer for one order. */
	sealed interface Answer {
	}

	record Order(String status, String cancellationReason, String updatedAt) implements Answer {
	}

	record Status(int code) implements Answer {
	}

	record Slow(Duration delay) implements Answer {
	}

	private final HttpServer server;

	private final Map<UUID, Answer> answers = new ConcurrentHashMap<>();

	private final AtomicInteger calls = new AtomicInteger();

	private final Map<String, String> traceparents = new ConcurrentHashMap<>();

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

	/** The W3C traceparent header of the last request for {@code orderId}, or null if none came or it had none. */
	String traceparent(UUID orderId) {
		return this.traceparents.get(orderId.toString());
	}

	private void handle(HttpExchange exchange) throws IOException {
		this.calls.incrementAndGet();
		String path = exchange.getRequestURI().getPath();
		String traceparent = exchange.getRequestHeaders().getFirst("traceparent");
		if (traceparent != null) {
			this.traceparents.put(path.substring("/api/orders/".length()), traceparent);
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
						""".formatted(path.substring("/api/orders/".length()), UUID.randomUUID(), order.status(),
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

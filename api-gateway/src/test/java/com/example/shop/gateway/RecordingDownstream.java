package com.example.shop.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server standing in for a downstream service: it listens on a free loopback port, records
 * every request it receives and answers as the test tells it to. Nothing of the gateway is replaced;
 * only the service behind it is this small.
 */
final class RecordingDownstream implements AutoCloseable {

	/** A request as the downstream received it. */
	record Received(String method, String pathAndQuery, Headers headers, byte[] body) {

		String header(String name) {
			return headers.getFirst(name);
		}

		String bodyText() {
			return new String(body, StandardCharsets.UTF_8);
		}

	}

	/** The {@link Reply#status()} of {@link Reply#closeWithoutAnswer()}. */
	private static final int CLOSE = -1;

	/** How the downstream answers one request. */
	record Reply(int status, String contentType, String body, Map<String, String> headers, Duration delay) {

		static Reply json(int status, String body) {
			return new Reply(status, "application/json", body, Map.of(), Duration.ZERO);
		}

		/** Reads the request, then closes the connection without a byte of answer (a crash, a restart). */
		static Reply closeWithoutAnswer() {
			return new Reply(CLOSE, "", "", Map.of(), Duration.ZERO);
		}

		static Reply status(int status) {
			return new Reply(status, "application/json", "{\"status\":" + status + "}", Map.of(), Duration.ZERO);
		}

		Reply withHeader(String name, String value) {
			Map<String, String> all = new java.util.LinkedHashMap<>(headers);
			all.put(name, value);
			return new Reply(status, contentType, body, all, delay);
		}

		Reply after(Duration wait) {
			return new Reply(status, contentType, body, headers, wait);
		}

	}

	private final HttpServer server;

	private final ExecutorService threads = Executors.newCachedThreadPool();

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private volatile Function<Received, Reply> replies = request -> Reply.json(200, "{\"ok\":true}");

	private RecordingDownstream(HttpServer server) {
		this.server = server;
	}

	static RecordingDownstream start() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			RecordingDownstream downstream = new RecordingDownstream(server);
			server.createContext("/", downstream::handle);
			server.setExecutor(downstream.threads);
			server.start();
			return downstream;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start the downstream test server", ex);
		}
	}

	String uri() {
		return "http://127.0.0.1:" + server.getAddress().getPort();
	}

	void answer(Function<Received, Reply> replies) {
		this.replies = replies;
	}

	List<Received> received() {
		return List.copyOf(received);
	}

	void reset() {
		received.clear();
		replies = request -> Reply.json(200, "{\"ok\":true}");
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange; InputStream in = exchange.getRequestBody()) {
			String query = exchange.getRequestURI().getRawQuery();
			String pathAndQuery = exchange.getRequestURI().getRawPath() + (query != null ? "?" + query : "");
			Received request = new Received(exchange.getRequestMethod(), pathAndQuery, exchange.getRequestHeaders(),
					in.readAllBytes());
			received.add(request);
			Reply reply = replies.apply(request);
			if (reply.status() == CLOSE) {
				// Closing the exchange before sending headers closes the connection itself.
				return;
			}
			if (!reply.delay().isZero()) {
				Thread.sleep(reply.delay());
			}
			byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", reply.contentType());
			reply.headers().forEach(exchange.getResponseHeaders()::set);
			boolean noBody = body.length == 0 || "HEAD".equals(request.method());
			exchange.sendResponseHeaders(reply.status(), noBody ? -1 : body.length);
			if (!noBody) {
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			}
		}
		catch (InterruptedException stopped) {
			Thread.currentThread().interrupt();
		}
		catch (IOException gatewayGaveUp) {
			// The gateway closed the connection (its timeout): nothing left to answer.
		}
	}

	@Override
	public void close() {
		server.stop(0);
		threads.shutdownNow();
	}

}

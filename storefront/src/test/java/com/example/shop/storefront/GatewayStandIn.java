package com.example.shop.storefront;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.junit.jupiter.SpringExtension;

import com.example.shop.testsupport.TcpProxy;

/**
 * The gateway, as far as a page of the storefront can tell: real HTTP on 127.0.0.1, answering each method and path
 * with what the test programmed ({@link #on(String, String)}: a status, a JSON body, headers such as
 * {@code Retry-After} or {@code ETag}, a delay), and keeping every request it got (headers, decoded query and body)
 * for the test to read. A request nobody programmed an answer for gets 500 and is kept in {@link #unanswered()}, so
 * a forgotten answer shows up as a failing page, never as a silently passing one.
 * <p>
 * It is reached through a {@link TcpProxy}: {@link #down()} makes the gateway unreachable (connections refused, open
 * ones cut), as a crashed gateway is, and {@link #up()} brings it back on the same address.
 * <p>
 * A JUnit extension: register it in a static field with {@code @RegisterExtension}, and point the storefront at it
 * from {@code @DynamicPropertySource} with {@link #pointStorefrontHere(DynamicPropertyRegistry)}. Before each test
 * it forgets its answers and requests, comes up, and closes the storefront's circuit breaker "gateway" (so one
 * test's failures never decide the next test's page); after the class it stops.
 */
public final class GatewayStandIn implements BeforeEachCallback, AfterAllCallback, AutoCloseable {

	private final HttpServer server;

	private final TcpProxy proxy;

	private final Map<String, Answer> answers = new ConcurrentHashMap<>();

	private final List<Request> requests = new CopyOnWriteArrayList<>();

	private final List<String> unanswered = new CopyOnWriteArrayList<>();

	public GatewayStandIn() {
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.createContext("/", this::handle);
		this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		this.server.start();
		this.proxy = TcpProxy.to("127.0.0.1", this.server.getAddress().getPort());
		this.proxy.open();
	}

	/** Where the storefront finds "the gateway". */
	public String baseUrl() {
		return "http://127.0.0.1:" + this.proxy.port();
	}

	public void pointStorefrontHere(DynamicPropertyRegistry properties) {
		properties.add("shop.storefront.gateway.base-url", this::baseUrl);
	}

	/** The answer to every {@code method path} request from now on (replacing an earlier one); 200, no body, until set. */
	public Answer on(String method, String path) {
		Answer answer = new Answer();
		this.answers.put(key(method, path), answer);
		return answer;
	}

	/** Every request that reached the gateway, oldest first. */
	public List<Request> requests() {
		return List.copyOf(this.requests);
	}

	public List<Request> requests(String method, String path) {
		return this.requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
	}

	/** The one {@code method path} request the gateway got; fails when it got none or several. */
	public Request only(String method, String path) {
		List<Request> matching = requests(method, path);
		if (matching.size() != 1) {
			throw new AssertionError("Expected exactly one " + method + " " + path + " at the gateway, got "
					+ matching.size() + "; all requests: " + this.requests);
		}
		return matching.getFirst();
	}

	/** The requests that found no programmed answer ({@code "GET /api/..."}). */
	public List<String> unanswered() {
		return List.copyOf(this.unanswered);
	}

	/** The gateway cannot be reached: connections are refused and open ones cut. */
	public void down() {
		this.proxy.close();
	}

	public void up() {
		this.proxy.open();
	}

	public void reset() {
		this.answers.clear();
		this.requests.clear();
		this.unanswered.clear();
		up();
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		reset();
		SpringExtension.getApplicationContext(context)
			.getBeanProvider(CircuitBreakerRegistry.class)
			.ifAvailable(breakers -> breakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset));
	}

	@Override
	public void afterAll(ExtensionContext context) {
		close();
	}

	@Override
	public void close() {
		this.proxy.close();
		this.server.stop(0);
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			String method = exchange.getRequestMethod();
			String path = exchange.getRequestURI().getPath();
			Map<String, String> headers = new LinkedHashMap<>();
			exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
					String.join(", ", values)));
			String rawQuery = exchange.getRequestURI().getRawQuery();
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			this.requests.add(new Request(method, path, rawQuery, query(rawQuery), headers, body));
			Answer answer = this.answers.get(key(method, path));
			if (answer == null) {
				this.unanswered.add(method + " " + path);
				send(exchange, 500, Map.of("Content-Type", "application/problem+json"),
						"{\"title\":\"The stand-in has no answer for " + method + " " + path + "\",\"status\":500}");
				return;
			}
			if (answer.delay != null) {
				try {
					Thread.sleep(answer.delay);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			send(exchange, answer.status, answer.headers, answer.body);
		}
	}

	private static void send(HttpExchange exchange, int status, Map<String, String> headers, String body)
			throws IOException {
		headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
		byte[] bytes = (body != null) ? body.getBytes(StandardCharsets.UTF_8) : new byte[0];
		exchange.sendResponseHeaders(status, (bytes.length == 0) ? -1 : bytes.length);
		if (bytes.length > 0) {
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(bytes);
			}
		}
	}

	/** Decoded as a servlet container decodes a query string ("+" is a space, so an unencoded "+" shows). */
	private static Map<String, List<String>> query(String rawQuery) {
		Map<String, List<String>> query = new LinkedHashMap<>();
		if (rawQuery == null || rawQuery.isEmpty()) {
			return query;
		}
		for (String pair : rawQuery.split("&")) {
			int equals = pair.indexOf('=');
			String name = URLDecoder.decode((equals < 0) ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
			String value = (equals < 0) ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
			query.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
		}
		return query;
	}

	private static String key(String method, String path) {
		return method + " " + path;
	}

	/** A canned answer: 200 and no body until told otherwise. */
	public static final class Answer {

		private volatile int status = 200;

		private volatile String body;

		private final Map<String, String> headers = new ConcurrentHashMap<>();

		private volatile Duration delay;

		public Answer status(int status) {
			this.status = status;
			return this;
		}

		public Answer json(String json) {
			this.body = json;
			this.headers.put("Content-Type", "application/json");
			return this;
		}

		/** An RFC 9457 problem, as the gateway and the services refuse. */
		public Answer problem(int status, String title, String detail) {
			return problem(status, title, detail, "[]");
		}

		public Answer problem(int status, String title, String detail, String errorsJson) {
			this.status = status;
			this.body = """
					{"type":"https://shop.example.com/problems/x","title":"%s","status":%d,"detail":"%s",\
					"errors":%s}""".formatted(title, status, detail, errorsJson);
			this.headers.put("Content-Type", "application/problem+json");
			return this;
		}

		public Answer header(String name, String value) {
			this.headers.put(name, value);
			return this;
		}

		/** Waits this long before answering (a gateway that is slow to answer). */
		public Answer after(Duration delay) {
			this.delay = delay;
			return this;
		}

	}

	/** One request as the gateway got it; header names in lower case. */
	public record Request(String method, String path, String rawQuery, Map<String, List<String>> query,
			Map<String, String> headers, String body) {

		public String header(String name) {
			return this.headers.get(name.toLowerCase(Locale.ROOT));
		}

		/** The query parameter's one value (decoded), or null when it was not sent. */
		public String param(String name) {
			List<String> values = this.query.get(name);
			return (values == null) ? null : String.join(",", values);
		}

		@Override
		public String toString() {
			return this.method + " " + this.path + ((this.rawQuery != null) ? "?" + this.rawQuery : "") + " "
					+ this.headers.keySet();
		}

	}

}

package com.example.shop.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for the realm's token endpoint over real HTTP on a loopback port: answers an OAuth2 client-credentials
 * request (RFC 6749 4.4) of one of the realm's service clients, authenticated with its client id and its development
 * secret (HTTP Basic, as Spring Security sends them), with a service token of {@link TestTokens}' issuer (subject
 * {@code service-account-<client>}, the scope asked for), as Keycloak does. Anything else is refused as Keycloak
 * refuses it ({@code invalid_client}, {@code unsupported_grant_type}).
 * <p>
 * Reached through a {@link TcpProxy}, so that a test can take "the realm" down ({@link #down()}: connections refused)
 * and bring it back. {@link #expiresIn(Duration)} sets the {@code expires_in} of the next tokens (and their
 * {@code exp}); every token issued is kept, in order. {@link #shared()} is the one {@link Infrastructure#TOKENS}
 * points every test's client registration {@code shop} at.
 */
public final class TokenEndpointStandIn implements AutoCloseable {

	static final String PATH = "/realms/shop/protocol/openid-connect/token";

	/** The realm's service clients and their development secrets (deploy/keycloak/realm-shop.json, application.yml). */
	static final Map<String, String> CLIENTS = Map.of("order-service", "order-service-dev-secret", "inventory-service",
			"inventory-service-dev-secret", "notification-service", "notification-service-dev-secret");

	private static TokenEndpointStandIn shared;

	private final HttpServer server;

	private final TcpProxy proxy;

	private final List<String> issued = new CopyOnWriteArrayList<>();

	private final List<String> refused = new CopyOnWriteArrayList<>();

	private volatile Duration expiresIn = Duration.ofMinutes(5);

	public TokenEndpointStandIn() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext(PATH, this::handle);
		this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		this.server.start();
		this.proxy = TcpProxy.to("127.0.0.1", this.server.getAddress().getPort());
		this.proxy.open();
	}

	/** One per test JVM, never taken down: for tests that need service tokens but are not about them. */
	public static synchronized TokenEndpointStandIn shared() {
		if (shared == null) {
			try {
				shared = new TokenEndpointStandIn();
			}
			catch (IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		}
		return shared;
	}

	/** The token endpoint's URI, for {@code spring.security.oauth2.client.provider.shop.token-uri}. */
	public String tokenUri() {
		return "http://127.0.0.1:" + this.proxy.port() + PATH;
	}

	public void expiresIn(Duration expiresIn) {
		this.expiresIn = expiresIn;
	}

	/** The realm cannot be reached: connections are refused, open ones cut. */
	public void down() {
		this.proxy.close();
	}

	public void up() {
		this.proxy.open();
	}

	/** Every token issued, oldest first. */
	public List<String> issued() {
		return List.copyOf(this.issued);
	}

	public String lastIssued() {
		return this.issued.isEmpty() ? null : this.issued.getLast();
	}

	/** Why each refused request was refused. */
	public List<String> refused() {
		return List.copyOf(this.refused);
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
			String client = clientOf(exchange.getRequestHeaders().getFirst("Authorization"));
			if (!"POST".equals(exchange.getRequestMethod())) {
				refuse(exchange, 405, "invalid_request", "POST only");
			}
			else if (client == null) {
				refuse(exchange, 401, "invalid_client", "client id or secret wrong or missing");
			}
			else if (!"client_credentials".equals(form.get("grant_type"))) {
				refuse(exchange, 400, "unsupported_grant_type", "grant_type " + form.get("grant_type"));
			}
			else {
				String scope = form.getOrDefault("scope", "");
				Duration lifetime = this.expiresIn;
				String token = TestTokens.issuer()
					.token()
					.subject("service-account-" + client)
					.claim("azp", client)
					.scopes(scope.isBlank() ? new String[0] : scope.split(" "))
					.expiresAt(Instant.now().plus(lifetime))
					.sign();
				this.issued.add(token);
				respond(exchange, 200, """
						{"access_token": "%s", "token_type": "Bearer", "expires_in": %d, "scope": "%s"}
						""".formatted(token, lifetime.toSeconds(), scope));
			}
		}
	}

	/** The client a Basic header authenticates with its development secret, or null. */
	private static String clientOf(String authorization) {
		if (authorization == null || !authorization.startsWith("Basic ")) {
			return null;
		}
		String[] idAndSecret;
		try {
			idAndSecret = new String(Base64.getDecoder().decode(authorization.substring("Basic ".length()).trim()),
					StandardCharsets.UTF_8).split(":", 2);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
		boolean known = idAndSecret.length == 2 && idAndSecret[1].equals(CLIENTS.get(idAndSecret[0]));
		return known ? idAndSecret[0] : null;
	}

	private void refuse(HttpExchange exchange, int status, String error, String why) throws IOException {
		this.refused.add(why);
		respond(exchange, status, "{\"error\": \"" + error + "\", \"error_description\": \"" + why + "\"}");
	}

	private static void respond(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.getResponseHeaders().set("Cache-Control", "no-store");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	private static Map<String, String> form(String body) {
		Map<String, String> form = new HashMap<>();
		for (String pair : body.split("&")) {
			int equals = pair.indexOf('=');
			if (equals > 0) {
				form.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
						URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
			}
		}
		return form;
	}

	@Override
	public void close() {
		this.proxy.close();
		this.server.stop(0);
	}

}

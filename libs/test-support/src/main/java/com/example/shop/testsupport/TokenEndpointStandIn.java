package com.example.shop.notification.live;

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

import com.example.shop.testsupport.TcpProxy;
import com.example.shop.testsupport.TestTokens;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for the realm's token endpoint over real HTTP on a loopback port: answers an OAuth2 client-credentials
 * request (RFC 6749 4.4) of notification-service, authenticated with its client id and secret (HTTP Basic, as
 * Spring Security sends them), with a service token of {@link TestTokens}' issuer (subject
 * {@code service-account-notification-service}, the scope asked for), as Keycloak does. Anything else is refused as
 * Keycloak refuses it ({@code invalid_client}, {@code unsupported_grant_type}).
 * <p>
 * Reached through a {@link TcpProxy}, so that a test can take "the realm" down ({@link #down()}: connections refused)
 * and bring it back. {@link #expiresIn(Duration)} sets the {@code expires_in} of the next tokens (and their
 * {@code exp}); every token issued is kept, in order.
 */
final class TokenEndpointStandIn implements AutoCloseable {

	static final String PATH = "/realms/shop/protocol/openid-connect/token";

	static final String CLIENT_ID = "notification-service";

	/** application.yml's default ({@code NOTIFICATION_CLIENT_SECRET} unset), as in every test. */
	static final String CLIENT_SECRET = "notification-service-dev-secret";

	private final HttpServer server;

	private final TcpProxy proxy;

	private final List<String> issued = new CopyOnWriteArrayList<>();

	private final List<String> refused = new CopyOnWriteArrayList<>();

	private volatile Duration expiresIn = Duration.ofMinutes(5);

	TokenEndpointStandIn() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext(PATH, this::handle);
		this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		this.server.start();
		this.proxy = TcpProxy.to("127.0.0.1", this.server.getAddress().getPort());
		this.proxy.open();
	}

	/** The token endpoint's URI, for {@code spring.security.oauth2.client.provider.shop.token-uri}. */
	String tokenUri() {
		return "http://127.0.0.1:" + this.proxy.port() + PATH;
	}

	void expiresIn(Duration expiresIn) {
		this.expiresIn = expiresIn;
	}

	/** The realm cannot be reached: connections are refused, open ones cut. */
	void down() {
		this.proxy.close();
	}

	void up() {
		this.proxy.open();
	}

	/** Every token issued, oldest first. */
	List<String> issued() {
		return List.copyOf(this.issued);
	}

	String lastIssued() {
		return this.issued.isEmpty() ? null : this.issued.getLast();
	}

	/** Why each refused request was refused. */
	List<String> refused() {
		return List.copyOf(this.refused);
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
			String expectedClient = "Basic " + Base64.getEncoder()
				.encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
			if (!"POST".equals(exchange.getRequestMethod())) {
				refuse(exchange, 405, "invalid_request", "POST only");
			}
			else if (!expectedClient.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
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
					.subject("service-account-" + CLIENT_ID)
					.claim("azp", CLIENT_ID)
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

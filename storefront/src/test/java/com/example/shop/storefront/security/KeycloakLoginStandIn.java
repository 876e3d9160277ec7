package com.example.shop.storefront.security;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import com.example.shop.testsupport.TestTokens;

/**
 * Keycloak's part of a shopper's login, for tests that log in through the storefront's real {@code oauth2Login}
 * without a Keycloak:
 * <ul>
 * <li>the login page: {@link #signIn(URI, Person)} reads the authorization request the storefront sent the browser
 * to (as Keycloak would: client, redirect URI, state, nonce, PKCE challenge), "signs the person in" and gives the
 * redirect back to the storefront with a one-time code;</li>
 * <li>the token endpoint, real HTTP on loopback ({@link #tokenUri()}): exchanges the code for an ID token, an
 * access token and a refresh token, and renews the access token with the refresh token. It checks what Keycloak
 * checks: the client's id and secret (HTTP Basic), the code used once, the same {@code redirect_uri}, and the PKCE
 * verifier against the challenge (S256).</li>
 * </ul>
 * Tokens are {@link TestTokens}' (the storefront under test trusts that issuer through {@code shop.security.*}):
 * the access token carries the realm roles and the platform's audience, as the realm's do; the ID token names the
 * storefront as its audience and carries the nonce. Every token issued is kept, in order, for the test to compare
 * with what the storefront relays.
 */
public final class KeycloakLoginStandIn implements AutoCloseable {

	/** The storefront's client of the realm (application.yml's development defaults). */
	public static final String CLIENT_ID = "storefront";

	public static final String CLIENT_SECRET = "storefront-dev-secret";

	private static final String TOKEN_PATH = "/realms/shop/protocol/openid-connect/token";

	private final HttpServer server;

	private final Map<String, Grant> codes = new ConcurrentHashMap<>();

	private final Map<String, Person> refreshTokens = new ConcurrentHashMap<>();

	private final List<Issued> issued = new CopyOnWriteArrayList<>();

	private final List<String> refused = new CopyOnWriteArrayList<>();

	private volatile Duration accessTokenLifetime = Duration.ofMinutes(5);

	public KeycloakLoginStandIn() {
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.createContext(TOKEN_PATH, this::token);
		this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		this.server.start();
	}

	/** For {@code shop.storefront.login.token-uri}. */
	public String tokenUri() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + TOKEN_PATH;
	}

	/** {@code expires_in} of the access tokens issued from now on (Keycloak's realm: 5 minutes). */
	public void accessTokensLast(Duration lifetime) {
		this.accessTokenLifetime = lifetime;
	}

	/** Forgets what was issued and refused, and issues 5-minute access tokens again. */
	public void reset() {
		this.issued.clear();
		this.refused.clear();
		this.accessTokenLifetime = Duration.ofMinutes(5);
	}

	/**
	 * The login page: the person signs in on the page the storefront redirected the browser to
	 * ({@code authorizationRequest}, the {@code Location} of {@code /oauth2/authorization/keycloak}). Fails as
	 * Keycloak would refuse it when the request is not the storefront's authorization code request with PKCE.
	 * @return where Keycloak redirects the browser back to: the request's {@code redirect_uri} with a fresh
	 * {@code code} and the request's {@code state}
	 */
	public URI signIn(URI authorizationRequest, Person person) {
		Map<String, String> request = parameters(authorizationRequest.getRawQuery());
		expect(request, "response_type", "code");
		expect(request, "client_id", CLIENT_ID);
		expect(request, "code_challenge_method", "S256");
		for (String required : List.of("redirect_uri", "state", "nonce", "code_challenge", "scope")) {
			if (request.get(required) == null) {
				throw new AssertionError("The authorization request has no " + required + ": " + authorizationRequest);
			}
		}
		if (!List.of(request.get("scope").split(" ")).contains("openid")) {
			throw new AssertionError("Not an OpenID Connect request: " + authorizationRequest);
		}
		String code = UUID.randomUUID().toString();
		this.codes.put(code, new Grant(person, request.get("redirect_uri"), request.get("nonce"),
				request.get("code_challenge")));
		return URI.create(request.get("redirect_uri") + "?code=" + code + "&state="
				+ URLEncoder.encode(request.get("state"), StandardCharsets.UTF_8));
	}

	/** Every set of tokens issued, oldest first. */
	public List<Issued> issued() {
		return List.copyOf(this.issued);
	}

	/** The one set of tokens issued; fails when none or several were. */
	public Issued onlyIssued() {
		if (this.issued.size() != 1) {
			throw new AssertionError("Expected one token response, got " + this.issued.size() + ": " + this.issued
					+ "; refused: " + this.refused);
		}
		return this.issued.getFirst();
	}

	/** Why each refused token request was refused. */
	public List<String> refused() {
		return List.copyOf(this.refused);
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	private void token(HttpExchange exchange) throws IOException {
		try (exchange) {
			Map<String, String> form = parameters(
					new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
			String basic = "Basic " + Base64.getEncoder()
				.encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
			if (!"POST".equals(exchange.getRequestMethod())) {
				refuse(exchange, 405, "invalid_request", "POST only");
			}
			else if (!basic.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
				refuse(exchange, 401, "invalid_client", "client id or secret wrong or missing");
			}
			else if ("authorization_code".equals(form.get("grant_type"))) {
				exchangeCode(exchange, form);
			}
			else if ("refresh_token".equals(form.get("grant_type"))) {
				renew(exchange, form);
			}
			else {
				refuse(exchange, 400, "unsupported_grant_type", "grant_type " + form.get("grant_type"));
			}
		}
	}

	private void exchangeCode(HttpExchange exchange, Map<String, String> form) throws IOException {
		Grant grant = this.codes.remove(String.valueOf(form.get("code")));
		if (grant == null) {
			refuse(exchange, 400, "invalid_grant", "unknown or used code " + form.get("code"));
		}
		else if (!grant.redirectUri().equals(form.get("redirect_uri"))) {
			refuse(exchange, 400, "invalid_grant", "redirect_uri " + form.get("redirect_uri") + " is not "
					+ grant.redirectUri());
		}
		else if (form.get("code_verifier") == null || !grant.codeChallenge().equals(s256(form.get("code_verifier")))) {
			refuse(exchange, 400, "invalid_grant", "PKCE verification failed");
		}
		else {
			issue(exchange, grant.person(), grant.nonce(), "authorization_code", null);
		}
	}

	private void renew(HttpExchange exchange, Map<String, String> form) throws IOException {
		String refreshToken = String.valueOf(form.get("refresh_token"));
		// Keycloak rotates refresh tokens: the one used is no longer valid.
		Person person = this.refreshTokens.remove(refreshToken);
		if (person == null) {
			refuse(exchange, 400, "invalid_grant", "unknown or used refresh token");
		}
		else {
			issue(exchange, person, null, "refresh_token", refreshToken);
		}
	}

	private void issue(HttpExchange exchange, Person person, String nonce, String grantType, String usedRefreshToken)
			throws IOException {
		Instant now = Instant.now();
		Duration lifetime = this.accessTokenLifetime;
		String accessToken = TestTokens.issuer()
			.token()
			.subject(person.subject())
			.roles(person.roles().toArray(String[]::new))
			.email(person.email())
			.claim("azp", CLIENT_ID)
			.claim("preferred_username", person.username())
			.claim("scope", "openid profile email")
			.expiresAt(now.plus(lifetime))
			.sign();
		String refreshToken = "refresh-" + UUID.randomUUID();
		this.refreshTokens.put(refreshToken, person);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("access_token", accessToken);
		body.put("token_type", "Bearer");
		body.put("expires_in", lifetime.toSeconds());
		body.put("refresh_token", refreshToken);
		body.put("scope", "openid profile email");
		String idToken = null;
		if (nonce != null) {
			idToken = TestTokens.issuer()
				.token()
				.subject(person.subject())
				.audience(CLIENT_ID)
				.claim("azp", CLIENT_ID)
				.claim("nonce", nonce)
				.claim("preferred_username", person.username())
				.claim("given_name", person.givenName())
				.claim("email", person.email())
				.issuedAt(now)
				.expiresAt(now.plus(Duration.ofMinutes(5)))
				.sign();
			body.put("id_token", idToken);
		}
		this.issued.add(new Issued(grantType, accessToken, refreshToken, idToken, usedRefreshToken));
		StringBuilder json = new StringBuilder("{");
		body.forEach((name, value) -> json.append(json.length() > 1 ? "," : "")
			.append('"')
			.append(name)
			.append("\":")
			.append((value instanceof Number) ? value.toString() : "\"" + value + "\""));
		respond(exchange, 200, json.append('}').toString());
	}

	private void refuse(HttpExchange exchange, int status, String error, String why) throws IOException {
		this.refused.add(why);
		respond(exchange, status, "{\"error\":\"" + error + "\",\"error_description\":\"" + why + "\"}");
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

	private static void expect(Map<String, String> request, String name, String value) {
		if (!value.equals(request.get(name))) {
			throw new AssertionError("The authorization request's " + name + " is " + request.get(name) + ", not "
					+ value);
		}
	}

	private static String s256(String verifier) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Map<String, String> parameters(String encoded) {
		Map<String, String> parameters = new LinkedHashMap<>();
		if (encoded == null || encoded.isEmpty()) {
			return parameters;
		}
		for (String pair : encoded.split("&")) {
			int equals = pair.indexOf('=');
			String name = URLDecoder.decode((equals < 0) ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
			String value = (equals < 0) ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
			parameters.put(name, value);
		}
		return parameters;
	}

	/** Somebody with an account in the realm. */
	public record Person(String subject, String username, String givenName, String email, List<String> roles) {
	}

	/**
	 * One token response: {@code grantType} {@code authorization_code} (a login; with an ID token) or
	 * {@code refresh_token} (a renewal, with the refresh token it used up).
	 */
	public record Issued(String grantType, String accessToken, String refreshToken, String idToken,
			String usedRefreshToken) {
	}

	private record Grant(Person person, String redirectUri, String nonce, String codeChallenge) {
	}

}

package com.example.shop.storefront.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.web.HttpSessionOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

import com.example.shop.storefront.ApiJson;
import com.example.shop.storefront.GatewayStandIn;
import com.example.shop.storefront.Html;
import com.example.shop.storefront.StorefrontApplication;
import com.example.shop.storefront.cart.Cart;
import com.example.shop.storefront.security.KeycloakLoginStandIn.Issued;
import com.example.shop.storefront.security.KeycloakLoginStandIn.Person;
import com.example.shop.testsupport.FreePorts;
import com.example.shop.testsupport.RedisServer;
import com.example.shop.testsupport.TestInfrastructure;
import com.example.shop.testsupport.TestTokens;

/**
 * A shopper's login and cart survive the other replica and a restart: they live in the HTTP session, and the session
 * lives in Redis (Spring Session), so every replica of the storefront, and every new one, finds them there.
 * <p>
 * Shown with the real application, started as replicas would be: A and B side by side, and C, started after A was
 * stopped. They are application contexts in this JVM, each on its own HTTP and management port; they share the
 * classes and nothing else but Redis (the test infrastructure's, in a namespace of this run's own). Whatever one of
 * them knows of a shopper the others learn from Redis only, through Spring Session's serialization. Around them:
 * the gateway is a {@link GatewayStandIn}, the realm a {@link KeycloakLoginStandIn} (tokens of
 * {@link TestTokens}' issuer, which the replicas trust), Eureka is off and the stock feed's gRPC channel points
 * where nobody listens (no page here opens it).
 * <p>
 * The shopper's browser is a plain HTTP client that keeps one cookie, {@code SHOP_SESSION}, as a browser would for
 * the shop's host (cookies ignore ports, so it goes to every replica). On A it puts a mug in the cart (the product
 * page's form with its CSRF token) and logs in through the storefront's real login: authorization code with PKCE,
 * the code exchanged by A at the realm, the ID token and the roles of the access token checked by A. That is all
 * A is ever asked; B and C are then asked for pages by the browser with the cookie, nothing else.
 * <p>
 * What makes this fail, and must (both tried once, by hand): the shoppers' tokens kept by Spring's default
 * {@code AuthenticatedPrincipalOAuth2AuthorizedClientRepository} (an in-memory map of the replica that logged the
 * shopper in) instead of {@link HttpSessionOAuth2AuthorizedClientRepository}: B finds the login but no tokens, ends
 * the login (SessionExpiredException, Trouble) and redirects to log in instead of showing the orders, and
 * {@link #whatALeftInRedis} finds no authorized clients in the session; replicas not sharing their sessions (each
 * its own namespace): B answers the cookie with a redirect to log in, and Redis has no session under the shared
 * namespace. Anything in the session that does not serialize (a cart line that is not Serializable) would fail A's
 * save of the session.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
class SessionInRedisTests {

	/** Where the replicas keep this run's sessions: {@code <namespace>:sessions:<id>}, deleted afterwards. */
	static final String NAMESPACE = "storefront-test:" + TestInfrastructure.newNamespace("session-in-redis");

	/** HttpSessionOAuth2AuthorizedClientRepository's session attribute (a private constant there). */
	static final String AUTHORIZED_CLIENTS = HttpSessionOAuth2AuthorizedClientRepository.class.getName()
			+ ".AUTHORIZED_CLIENTS";

	static final Person ALICE = new Person("sub-alice", "alice", "Alice", "alice@example.com", List.of("customer"));

	static final UUID MUG = ApiJson.MUG;

	static final UUID ORDER = UUID.fromString("7f000000-0000-4000-8000-0000000000a1");

	final GatewayStandIn gateway = new GatewayStandIn();

	final KeycloakLoginStandIn realm = new KeycloakLoginStandIn();

	final RedisServer redisServer = TestInfrastructure.redis();

	LettuceConnectionFactory redisConnections;

	StringRedisTemplate redis;

	Replica replicaA;

	Replica replicaB;

	Replica replicaC;

	@BeforeAll
	void startTwoReplicas() throws Exception {
		this.redisConnections = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(this.redisServer.host(), this.redisServer.port()));
		this.redisConnections.afterPropertiesSet();
		this.redisConnections.start();
		this.redis = new StringRedisTemplate(this.redisConnections);
		this.replicaA = startReplica("A");
		this.replicaB = startReplica("B");
	}

	@BeforeEach
	void forgetEarlierRequests() {
		this.gateway.reset();
		this.realm.reset();
	}

	@AfterAll
	void stopEverythingAndDeleteThisRunsSessions() {
		for (Replica replica : new Replica[] { this.replicaA, this.replicaB, this.replicaC }) {
			if (replica != null) {
				replica.stop();
			}
		}
		if (this.redis != null) {
			// Only this run's keys: the Redis is shared (the running platform, other test runs). SCAN, never KEYS.
			List<String> ours = new ArrayList<>();
			try (Cursor<String> keys = this.redis.scan(ScanOptions.scanOptions().match(NAMESPACE + ":*").count(500).build())) {
				keys.forEachRemaining(ours::add);
			}
			if (!ours.isEmpty()) {
				this.redis.delete(ours);
			}
			this.redisConnections.destroy();
		}
		this.gateway.close();
		this.realm.close();
	}

	@Test
	@Order(1)
	void aSessionIdRedisDoesNotKnowIsAnAnonymousVisitor() throws Exception {
		Browser stranger = new Browser();
		String unknown = UUID.randomUUID().toString();
		stranger.presentSessionId(unknown);
		assertThat(this.redis.hasKey(sessionKey(unknown))).isFalse();

		Html cart = stranger.get(this.replicaB, "/cart").html();

		assertThat(cart.text("#login")).isEqualTo("Log in");
		assertThat(cart.one("#login").attr("href")).isEqualTo("/oauth2/authorization/keycloak");
		assertThat(cart.has("#shopper")).isFalse();
		assertThat(cart.has("#empty-cart")).isTrue();

		Page orders = stranger.get(this.replicaB, "/orders");

		assertThat(orders.status()).isEqualTo(302);
		assertThat(orders.redirectPath()).isEqualTo("/oauth2/authorization/keycloak");
		assertThat(this.gateway.requests()).as("no call on anybody's behalf").isEmpty();
		// Remembering where to come back to after the login starts a session: a new one, never the id presented.
		assertThat(stranger.sessionId()).isNotEqualTo(unknown);
		assertThat(this.redis.hasKey(sessionKey(unknown))).isFalse();
	}

	@Test
	@Order(2)
	void aTokenRenewedOnOneReplicaIsTheTokenEveryReplicaUsesNext() throws Exception {
		Browser browser = new Browser();
		// Shorter than refresh-before-expiry (30 s): due for renewal at its first use.
		this.realm.accessTokensLast(Duration.ofSeconds(20));
		logIn(browser, this.replicaA, ALICE);
		this.realm.accessTokensLast(Duration.ofMinutes(5));
		Issued login = this.realm.onlyIssued();

		// B renews it with the refresh token A stored, and relays the new one.
		String relayedByB = tokenRelayedForTheOrders(browser, this.replicaB);

		assertThat(this.realm.issued()).hasSize(2);
		Issued renewal = this.realm.issued().get(1);
		assertThat(renewal.grantType()).isEqualTo("refresh_token");
		assertThat(renewal.usedRefreshToken()).isEqualTo(login.refreshToken());
		assertThat(relayedByB).isEqualTo(renewal.accessToken());

		// A, which logged the shopper in, relays the token B renewed and saved, and renews nothing itself (the
		// realm rotates refresh tokens: the one A stored at login is used up).
		String relayedByA = tokenRelayedForTheOrders(browser, this.replicaA);

		assertThat(relayedByA).isEqualTo(renewal.accessToken());
		assertThat(this.realm.issued()).hasSize(2);
		assertThat(this.realm.refused()).isEmpty();
		OAuth2AuthorizedClient kept = authorizedClient(this.replicaA.storedSession(browser.sessionId()));
		assertThat(kept.getAccessToken().getTokenValue()).isEqualTo(renewal.accessToken());
		assertThat(kept.getRefreshToken().getTokenValue()).isEqualTo(renewal.refreshToken());
	}

	@Test
	@Order(3) // last: it stops A
	void aShoppersLoginAndCartSurviveTheOtherReplicaAndARestart() throws Exception {
		Browser browser = new Browser();

		// On A: a mug in the cart, anonymously; then the login, which the orders page asks for.
		putTwoMugsInTheCart(browser, this.replicaA);
		String anonymousSession = browser.sessionId();
		URI backTo = logIn(browser, this.replicaA, ALICE);

		assertThat(backTo.getPath()).as("the login returns to the page that asked for it; refused: %s",
				this.realm.refused()).isEqualTo("/orders");
		assertThat(browser.sessionId()).as("a new session id at login (session fixation protection)")
			.isNotEqualTo(anonymousSession);
		Issued tokens = this.realm.onlyIssued();
		whatALeftInRedis(browser.sessionId(), tokens);

		// B: the browser follows the login's redirect back, and the load balancer sends it to B.
		assertSignedInWithTheCart(browser, this.replicaB, backTo.getRawPath() + "?" + backTo.getRawQuery(),
				tokens.accessToken());

		// A restart: A stops, C starts and knows nothing of anybody.
		this.replicaA.stop();
		this.replicaA = null;
		this.replicaC = startReplica("C");

		assertSignedInWithTheCart(browser, this.replicaC, "/orders", tokens.accessToken());
		assertThat(this.realm.issued()).as("B and C relayed A's token; nobody asked the realm for another")
			.hasSize(1);
	}

	/**
	 * The session A saved, as another replica reads it from Redis: under this run's namespace, expiring after the
	 * idle timeout, holding the login (an OIDC user with the realm's roles), its tokens and the cart.
	 */
	private void whatALeftInRedis(String sessionId, Issued tokens) {
		Long secondsLeft = this.redis.getExpire(sessionKey(sessionId));
		assertThat(secondsLeft).as("the session %s in Redis", sessionKey(sessionId))
			.isBetween(Duration.ofMinutes(29).toSeconds(), Duration.ofMinutes(30).toSeconds());

		Session stored = this.replicaB.storedSession(sessionId);

		SecurityContext security = stored.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
		assertThat(security).isNotNull();
		OAuth2AuthenticationToken login = (OAuth2AuthenticationToken) security.getAuthentication();
		assertThat(login.getAuthorizedClientRegistrationId()).isEqualTo(KeycloakClients.LOGIN);
		assertThat(login.getAuthorities()).extracting(GrantedAuthority::getAuthority).contains("ROLE_customer");
		DefaultOidcUser user = (DefaultOidcUser) login.getPrincipal();
		assertThat(user.getEmail()).isEqualTo("alice@example.com");
		assertThat(user.getName()).isEqualTo("alice");
		assertThat(user.getIdToken().getTokenValue()).isEqualTo(tokens.idToken());

		OAuth2AuthorizedClient client = authorizedClient(stored);
		assertThat(client.getPrincipalName()).isEqualTo("alice");
		assertThat(client.getAccessToken().getTokenValue()).isEqualTo(tokens.accessToken());
		assertThat(client.getAccessToken().getExpiresAt()).isAfter(Instant.now().plus(Duration.ofMinutes(4)));
		assertThat(client.getRefreshToken().getTokenValue()).isEqualTo(tokens.refreshToken());

		assertThat(stored.getAttributeNames().stream().map(stored::getAttribute))
			.filteredOn(Cart.class::isInstance)
			.singleElement()
			.satisfies(cart -> assertThat(((Cart) cart).lines()).singleElement()
				.satisfies(line -> {
					assertThat(line.productId()).isEqualTo(MUG);
					assertThat(line.quantity()).isEqualTo(2);
				}));
	}

	/**
	 * The replica shows the signed-in shopper their orders, fetched with the token A stored, and their cart; the
	 * header names them.
	 */
	private void assertSignedInWithTheCart(Browser browser, Replica replica, String ordersPage, String accessToken)
			throws Exception {
		this.gateway.reset();
		this.gateway.on("GET", "/api/orders")
			.json(ApiJson.page(List.of(ApiJson.order(ORDER, "CONFIRMED", null, 2)), 0, 10, 1));

		Page orders = browser.get(replica, ordersPage);

		assertThat(orders.status()).as("%s %s: %s", replica, ordersPage, orders.location()).isEqualTo(200);
		Html page = orders.html();
		assertThat(page.text("#shopper")).isEqualTo("Alice");
		assertThat(page.select("#order-history tbody tr")).singleElement()
			.satisfies(row -> assertThat(row.one("a").attr("href")).isEqualTo("/orders/" + ORDER));
		assertThat(this.gateway.only("GET", "/api/orders").header("Authorization")).as("the token relayed by %s",
				replica).isEqualTo("Bearer " + accessToken);

		Html cart = browser.get(replica, "/cart").html();

		assertThat(cart.text("#shopper")).isEqualTo("Alice");
		assertThat(cart.text("#cart-count")).isEqualTo("2");
		assertThat(cart.select("tr.cart-line")).singleElement().satisfies(line -> {
			assertThat(line.attr("data-product-id")).isEqualTo(MUG.toString());
			assertThat(line.one("a").text()).isEqualTo("Enamel Mug");
			assertThat(line.one("input[name=quantity]").attr("value")).isEqualTo("2");
		});
		assertThat(cart.text("#cart-total")).isEqualTo("€25.00");
		assertThat(this.gateway.unanswered()).isEmpty();
	}

	/** The orders page on this replica; the token it relayed to the gateway for them. */
	private String tokenRelayedForTheOrders(Browser browser, Replica replica) throws Exception {
		this.gateway.reset();
		this.gateway.on("GET", "/api/orders").json(ApiJson.page(List.of(), 0, 10, 0));
		Page orders = browser.get(replica, "/orders");
		assertThat(orders.status()).as("%s /orders: %s; refused: %s", replica, orders.location(),
				this.realm.refused()).isEqualTo(200);
		assertThat(orders.html().text("#no-orders")).isEqualTo("You have not ordered anything yet.");
		return this.gateway.only("GET", "/api/orders").header("Authorization").substring("Bearer ".length());
	}

	/** Anonymous: the product page, and its form with the CSRF token. */
	private void putTwoMugsInTheCart(Browser browser, Replica replica) throws Exception {
		this.gateway.on("GET", "/api/products/" + MUG).json(ApiJson.mug());
		this.gateway.on("GET", "/api/inventory/" + MUG).json(ApiJson.stock(MUG, 10, 0));
		Html product = browser.get(replica, "/products/" + MUG).html();
		String csrf = product.one("form.add input[name=_csrf]").attr("value");

		Page added = browser.post(replica, "/cart/items",
				Map.of("productId", MUG.toString(), "quantity", "2", "_csrf", csrf));

		assertThat(added.redirectPath()).isEqualTo("/cart");
		assertThat(browser.get(replica, "/cart").html().text("#cart-count")).isEqualTo("2");
	}

	/**
	 * The login as a browser goes through it: the orders page sends an anonymous shopper to
	 * {@code /oauth2/authorization/keycloak}, which redirects to the realm's login page; the person signs in there
	 * and is redirected back to the replica with a code, which the replica exchanges at the realm.
	 * @return where the replica sends the browser once logged in
	 */
	private URI logIn(Browser browser, Replica replica, Person person) throws Exception {
		assertThat(browser.get(replica, "/orders").redirectPath()).isEqualTo("/oauth2/authorization/keycloak");
		Page toTheRealm = browser.get(replica, "/oauth2/authorization/keycloak");
		assertThat(toTheRealm.status()).isEqualTo(302);
		URI loginPage = URI.create(toTheRealm.location());
		assertThat(loginPage.toString()).startsWith(TestTokens.issuer().issuerUri() + "/protocol/openid-connect/auth?");

		URI back = this.realm.signIn(loginPage, person);

		assertThat(back.getPort()).as("the redirect URI names the replica that began the login")
			.isEqualTo(replica.port());
		Page loggedIn = browser.get(replica, back.getRawPath() + "?" + back.getRawQuery());
		assertThat(loggedIn.status()).as("the login's end: %s; refused: %s", loggedIn.location(), this.realm.refused())
			.isEqualTo(302);
		return URI.create(loggedIn.location());
	}

	private OAuth2AuthorizedClient authorizedClient(Session stored) {
		Map<String, OAuth2AuthorizedClient> clients = stored.getAttribute(AUTHORIZED_CLIENTS);
		assertThat(clients).as("the authorized clients in the session (attributes: %s)", stored.getAttributeNames())
			.containsOnlyKeys(KeycloakClients.LOGIN);
		return clients.get(KeycloakClients.LOGIN);
	}

	private static String sessionKey(String sessionId) {
		return NAMESPACE + ":sessions:" + sessionId;
	}

	private Replica startReplica(String name) throws Exception {
		List<String> arguments = List.of(
				// Its own ports, never the running platform's.
				"--server.port=0", "--management.server.port=0",
				// The sessions: the test infrastructure's Redis, this run's namespace. Boot 4's name for it: the
				// spring.session.redis.* of application.yml is no longer read. whatALeftInRedis checks the key.
				"--spring.data.redis.host=" + this.redisServer.host(),
				"--spring.data.redis.port=" + this.redisServer.port(),
				"--spring.session.data.redis.namespace=" + NAMESPACE,
				// Around it: stand-ins, no Eureka, no tracing export, a stock feed channel to nowhere.
				"--shop.storefront.gateway.base-url=" + this.gateway.baseUrl(),
				"--shop.security.issuer-uri=" + TestTokens.issuer().issuerUri(),
				"--shop.security.jwk-set-uri=" + TestTokens.issuer().jwkSetUri(),
				"--shop.storefront.login.token-uri=" + this.realm.tokenUri(),
				"--spring.security.oauth2.client.provider.shop.token-uri=" + this.realm.tokenUri(),
				"--eureka.client.enabled=false",
				"--spring.grpc.client.channels.inventory-service.address=static://127.0.0.1:" + FreePorts.one(),
				"--management.tracing.export.enabled=false");
		ConfigurableApplicationContext context = new SpringApplicationBuilder(StorefrontApplication.class)
			.run(arguments.toArray(String[]::new));
		Replica replica = new Replica(name, context);
		assertThat(new Browser().get(replica.managementUri("/actuator/health/readiness")).status())
			.as("replica %s is ready (its readiness includes Redis)", name)
			.isEqualTo(200);
		return replica;
	}

	/** One running storefront. */
	record Replica(String name, ConfigurableApplicationContext context) {

		int port() {
			return ((WebServerApplicationContext) this.context).getWebServer().getPort();
		}

		URI uri(String pathAndQuery) {
			return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
		}

		URI managementUri(String path) {
			return URI.create("http://127.0.0.1:"
					+ this.context.getEnvironment().getRequiredProperty("local.management.port") + path);
		}

		/** The session as this replica's Spring Session reads it from Redis (without touching it). */
		Session storedSession(String id) {
			@SuppressWarnings("unchecked")
			SessionRepository<Session> sessions = this.context.getBean(SessionRepository.class);
			Session session = sessions.findById(id);
			assertThat(session).as("session %s in Redis, read by %s", id, this).isNotNull();
			return session;
		}

		void stop() {
			this.context.close();
		}

		@Override
		public String toString() {
			return "replica " + this.name;
		}

	}

	/**
	 * A shopper's browser, as far as the storefront can tell: it follows no redirects by itself, and keeps the
	 * {@code SHOP_SESSION} cookie it is given, sending it with every request, whichever replica.
	 */
	static final class Browser {

		private static final String COOKIE = "SHOP_SESSION";

		private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

		private String session;

		Page get(Replica replica, String pathAndQuery) throws IOException, InterruptedException {
			return get(replica.uri(pathAndQuery));
		}

		Page get(URI uri) throws IOException, InterruptedException {
			return send(HttpRequest.newBuilder(uri).GET());
		}

		Page post(Replica replica, String path, Map<String, String> form) throws IOException, InterruptedException {
			String body = form.entrySet()
				.stream()
				.map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "="
						+ URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
				.collect(Collectors.joining("&"));
			return send(HttpRequest.newBuilder(replica.uri(path))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(body)));
		}

		/**
		 * The session id the cookie names: Spring Session's {@code DefaultCookieSerializer} writes it Base64-encoded.
		 */
		String sessionId() {
			assertThat(this.session).as("the browser holds a " + COOKIE + " cookie").isNotNull();
			return new String(Base64.getDecoder().decode(this.session), StandardCharsets.UTF_8);
		}

		/** Sends this session id from now on, as a browser would after somebody set its cookie. */
		void presentSessionId(String id) {
			this.session = Base64.getEncoder().encodeToString(id.getBytes(StandardCharsets.UTF_8));
		}

		private Page send(HttpRequest.Builder request) throws IOException, InterruptedException {
			if (this.session != null) {
				request.header("Cookie", COOKIE + "=" + this.session);
			}
			request.timeout(Duration.ofSeconds(10));
			HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			for (String cookie : response.headers().allValues("Set-Cookie")) {
				if (cookie.startsWith(COOKIE + "=")) {
					String value = cookie.substring(COOKIE.length() + 1).split(";", 2)[0];
					this.session = (value.isEmpty() || cookie.contains("Max-Age=0")) ? null : value;
				}
			}
			return new Page(response.statusCode(), response.headers().firstValue("Location").orElse(null),
					response.body());
		}

	}

	/** An answer to the browser. */
	record Page(int status, String location, String body) {

		Html html() {
			assertThat(this.status).as("a page, not a redirect to %s", this.location).isEqualTo(200);
			return Html.of(this.body);
		}

		/** The path of the redirect, whether the Location is absolute or not. */
		String redirectPath() {
			assertThat(this.location).as("a redirect (status %d)", this.status).isNotNull();
			return URI.create(this.location).getPath();
		}

	}

}

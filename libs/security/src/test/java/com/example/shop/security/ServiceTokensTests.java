package com.example.shop.security;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import com.example.shop.security.ServiceTokens.ServiceTokenUnavailableException;
import com.example.shop.testsupport.TcpProxy;
import com.example.shop.testsupport.TestTokens;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ClientCredentialsOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ServiceTokens} against a token endpoint over real HTTP (a stand-in answering client-credentials requests
 * with {@link TestTokens} service tokens, behind a {@link TcpProxy} so the realm can go down), on a clock the test
 * moves: the token is fetched once and reused, renewed when a minute of it is left (Spring Security's margin), the
 * one held is used through an outage until it actually expires, and then {@link ServiceTokenUnavailableException}.
 * Also the auto-configuration: a {@code ServiceTokens} bean exactly when the registration "shop" is declared.
 */
class ServiceTokensTests {

	private static final String CLIENT_ID = "notification-service";

	private static final String CLIENT_SECRET = "s3cret";

	private TokenEndpoint realm;

	private final MovableClock clock = new MovableClock();

	@BeforeEach
	void startRealm() throws IOException {
		this.realm = new TokenEndpoint();
	}

	@AfterEach
	void stopRealm() {
		this.realm.close();
	}

	@Test
	void theTokenIsFetchedOnceAndReusedUntilAMinuteBeforeItExpires() {
		ServiceTokens tokens = serviceTokens(this.realm.tokenUri());

		String first = tokens.bearer();
		this.clock.setToNow();
		assertThat(tokens.bearer()).isEqualTo(first);
		this.clock.move(Duration.ofSeconds(239));
		assertThat(tokens.bearer()).as("61 s left").isEqualTo(first);
		assertThat(this.realm.issued()).containsExactly(first);

		this.clock.move(Duration.ofSeconds(2));
		String renewed = tokens.bearer();

		assertThat(renewed).as("59 s left: renewed").isNotEqualTo(first);
		assertThat(this.realm.issued()).containsExactly(first, renewed);
		assertThat(this.realm.requests()).allSatisfy(request -> assertThat(request)
			.contains("grant_type=client_credentials")
			.contains("scope=orders.read")
			.contains("Authorization=Basic " + Base64.getEncoder()
				.encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8))));
	}

	@Test
	void whileTheRealmIsDownTheHeldTokenIsUsedUntilItExpiresThenCallsFailClearly() {
		ServiceTokens tokens = serviceTokens(this.realm.tokenUri());
		String held = tokens.bearer();
		this.clock.setToNow();

		this.realm.down();
		this.clock.move(Duration.ofSeconds(241));
		assertThat(tokens.bearer()).as("renewal fails, 59 s left").isEqualTo(held);
		this.clock.move(Duration.ofSeconds(58));
		assertThat(tokens.bearer()).as("1 s left").isEqualTo(held);
		this.clock.move(Duration.ofSeconds(2));
		assertThatThrownBy(tokens::bearer).isInstanceOf(ServiceTokenUnavailableException.class)
			.hasMessageContaining("shop");

		this.realm.up();
		String fresh = tokens.bearer();
		assertThat(fresh).isNotEqualTo(held);
		assertThat(this.realm.issued()).containsExactly(held, fresh);
	}

	@Test
	void withoutAnyTokenHeldARealmThatIsDownFailsAtOnce() {
		this.realm.down();
		ServiceTokens tokens = serviceTokens(this.realm.tokenUri());

		assertThatThrownBy(tokens::bearer).isInstanceOf(ServiceTokenUnavailableException.class);
	}

	/** A realm that refuses the client (wrong secret) is the same failure for the caller, not an OAuth2 exception. */
	@Test
	void aRefusedClientIsServiceTokenUnavailable() {
		this.realm.refuseClients();
		ServiceTokens tokens = serviceTokens(this.realm.tokenUri());

		assertThatThrownBy(tokens::bearer).isInstanceOf(ServiceTokenUnavailableException.class);
		assertThat(this.realm.issued()).isEmpty();
	}

	/** The interceptor puts the token on every request; without one the call fails with the exception, unwrapped. */
	@Test
	void theInterceptorSendsTheTokenAsBearerAndFailsTheCallWithoutOne() throws IOException {
		List<String> seen = new CopyOnWriteArrayList<>();
		HttpServer downstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		downstream.createContext("/", exchange -> {
			seen.add(exchange.getRequestHeaders().getFirst("Authorization"));
			respond(exchange, 200, "{}");
		});
		downstream.start();
		try {
			ServiceTokens tokens = serviceTokens(this.realm.tokenUri());
			RestClient client = RestClient.builder()
				.baseUrl("http://127.0.0.1:" + downstream.getAddress().getPort())
				.requestInterceptor(tokens.asInterceptor())
				.build();

			client.get().uri("/api/orders/1").retrieve().toBodilessEntity();
			assertThat(seen).containsExactly("Bearer " + this.realm.issued().getFirst());

			this.realm.down();
			this.clock.move(Duration.ofMinutes(6));
			assertThatThrownBy(() -> client.get().uri("/api/orders/2").retrieve().toBodilessEntity())
				.isInstanceOf(ServiceTokenUnavailableException.class);
			assertThat(seen).as("no call without a token").hasSize(1);
		}
		finally {
			downstream.stop(0);
		}
	}

	@Test
	void theAutoConfigurationProvidesServiceTokensForTheRegistrationShop() {
		// Boot's conversion service, as a Spring Boot application has it (the token endpoint's deadline is a Duration).
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withInitializer(context -> context.getBeanFactory()
				.setConversionService(ApplicationConversionService.getSharedInstance()))
			.withConfiguration(
					AutoConfigurations.of(OAuth2ClientAutoConfiguration.class, ServiceTokensAutoConfiguration.class));

		runner.run(context -> assertThat(context).doesNotHaveBean(ServiceTokens.class));
		runner
			.withPropertyValues("spring.security.oauth2.client.registration.shop.client-id=" + CLIENT_ID,
					"spring.security.oauth2.client.registration.shop.client-secret=" + CLIENT_SECRET,
					"spring.security.oauth2.client.registration.shop.authorization-grant-type=client_credentials",
					"spring.security.oauth2.client.registration.shop.scope=orders.read",
					"spring.security.oauth2.client.provider.shop.token-uri=" + this.realm.tokenUri())
			.run(context -> {
				ServiceTokens tokens = context.getBean(ServiceTokens.class);
				String first = tokens.bearer();
				assertThat(tokens.bearer()).isEqualTo(first);
				assertThat(this.realm.issued()).containsExactly(first);
			});
	}

	/** Built as {@link ServiceTokensAutoConfiguration} builds it, on the test's clock. */
	private ServiceTokens serviceTokens(String tokenUri) {
		ClientRegistration registration = ClientRegistration.withRegistrationId("shop")
			.clientId(CLIENT_ID)
			.clientSecret(CLIENT_SECRET)
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.scope("orders.read")
			.tokenUri(tokenUri)
			.build();
		InMemoryClientRegistrationRepository registrations = new InMemoryClientRegistrationRepository(registration);
		SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
		requests.setConnectTimeout(Duration.ofSeconds(1));
		requests.setReadTimeout(Duration.ofSeconds(1));
		ClientCredentialsOAuth2AuthorizedClientProvider provider = new ClientCredentialsOAuth2AuthorizedClientProvider();
		provider.setClock(this.clock);
		AuthorizedClientServiceOAuth2AuthorizedClientManager manager = new AuthorizedClientServiceOAuth2AuthorizedClientManager(
				registrations, new InMemoryOAuth2AuthorizedClientService(registrations));
		manager.setAuthorizedClientProvider(provider);
		return new ServiceTokens(manager, "shop", this.clock);
	}

	private static void respond(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	/**
	 * The realm's token endpoint: a client-credentials token of 5 minutes ({@code expires_in} 300) per request, as
	 * Keycloak issues them. The token's expiry is counted by the client from when it received the answer (real
	 * time), so the test's clock starts at real time and only moves forward from there.
	 */
	private static final class TokenEndpoint implements AutoCloseable {

		private final HttpServer server;

		private final TcpProxy proxy;

		private final List<String> issued = new CopyOnWriteArrayList<>();

		private final List<String> requests = new CopyOnWriteArrayList<>();

		private volatile boolean refuseClients;

		TokenEndpoint() throws IOException {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			this.server.createContext("/token", this::handle);
			this.server.start();
			this.proxy = TcpProxy.to("127.0.0.1", this.server.getAddress().getPort());
			this.proxy.open();
		}

		String tokenUri() {
			return "http://127.0.0.1:" + this.proxy.port() + "/token";
		}

		List<String> issued() {
			return List.copyOf(this.issued);
		}

		List<String> requests() {
			return List.copyOf(this.requests);
		}

		void down() {
			this.proxy.close();
		}

		void up() {
			this.proxy.open();
		}

		void refuseClients() {
			this.refuseClients = true;
		}

		private void handle(HttpExchange exchange) throws IOException {
			try (exchange) {
				String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
				this.requests.add(form + " Authorization=" + exchange.getRequestHeaders().getFirst("Authorization"));
				if (this.refuseClients) {
					respond(exchange, 401, "{\"error\": \"invalid_client\"}");
					return;
				}
				String token = TestTokens.issuer().service(CLIENT_ID, "orders.read");
				this.issued.add(token);
				respond(exchange, 200, "{\"access_token\": \"" + token
						+ "\", \"token_type\": \"Bearer\", \"expires_in\": 300, \"scope\": \"orders.read\"}");
			}
		}

		@Override
		public void close() {
			this.proxy.close();
			this.server.stop(0);
		}

	}

	/** A clock that starts now and moves only when the test says (forward, or to real time). */
	private static final class MovableClock extends Clock {

		private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

		/** To real time: right after a token arrived, its 300 s count from here (to within milliseconds). */
		void setToNow() {
			this.now.set(Instant.now());
		}

		void move(Duration by) {
			this.now.updateAndGet(instant -> instant.plus(by));
		}

		@Override
		public Instant instant() {
			return this.now.get();
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

}

package com.example.shop.notification.live;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.example.shop.notification.live.client.OrderServiceClientConfiguration;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.TestTokens;
import com.example.shop.testsupport.TokenEndpointStandIn;
import com.example.shop.testsupport.UsesInfrastructure;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * notification-service's own token for order-service, end to end: the real {@code ServiceTokens} of libs/security
 * (auto-configured from the registration "shop" in application.yml) against a stand-in of the realm's token endpoint
 * ({@link TokenEndpointStandIn}, client credentials over real HTTP), and a stand-in order-service that accepts only
 * a valid token with scope {@code orders.read}. Each lookup is a customer's handshake for an order the projection
 * does not know, so it asks order-service.
 * <p>
 * The client renews a token 60 s before it expires (Spring Security's default margin), so the tokens' lifetimes
 * here are chosen around it: 5 min (reused), 65 s (renewed after 5 s), 6 s (inside the margin: every lookup tries
 * to renew, and the held token is what is left when the realm is down). A fresh context per test: each starts
 * without a token held.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA, Infrastructure.RABBITMQ, Infrastructure.TOKENS })
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
@Timeout(120)
class OrderServiceTokenTests {

	static final TestTokens tokens = TestTokens.issuer();

	static final UUID CUSTOMER = UUID.randomUUID();

	static final StandInOrderService orderService = start(StandInOrderService::new);

	static final TokenEndpointStandIn realm = start(TokenEndpointStandIn::new);

	@DynamicPropertySource
	static void standIns(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.discovery.client.simple.instances.order-service[0].uri", orderService::uri);
		registry.add("spring.security.oauth2.client.provider.shop.token-uri", realm::tokenUri);
	}

	@LocalServerPort
	int port;

	@Autowired
	CircuitBreakerRegistry breakers;

	final StandardWebSocketClient webSockets = new StandardWebSocketClient();

	final List<StatusClient> opened = new ArrayList<>();

	@BeforeEach
	void realmUp() {
		realm.up();
		realm.expiresIn(Duration.ofMinutes(5));
	}

	@AfterEach
	void closeClients() throws Exception {
		for (StatusClient client : this.opened) {
			client.close();
		}
	}

	@AfterAll
	static void stopStandIns() {
		orderService.close();
		realm.close();
	}

	@Test
	void theTokenIsFetchedOnceAndReusedForEveryCall() throws Exception {
		int issuedBefore = realm.issued().size();
		int acceptedBefore = orderService.acceptedTokens().size();

		for (int i = 0; i < 3; i++) {
			assertThat(lookUp().get("status").asString()).isEqualTo("AWAITING_PAYMENT");
		}

		assertThat(realm.issued()).hasSize(issuedBefore + 1);
		assertThat(orderService.acceptedTokens().subList(acceptedBefore, acceptedBefore + 3))
			.as("the same token, accepted by order-service (valid, scope orders.read), on every call")
			.containsOnly(realm.lastIssued());
		assertThat(realm.refused()).as("the client authenticated with its id and secret").isEmpty();
	}

	@Test
	void theTokenIsRenewedShortlyBeforeItExpires() throws Exception {
		realm.expiresIn(Duration.ofSeconds(65));
		int issuedBefore = realm.issued().size();
		Instant firstFetch = Instant.now();

		lookUp();
		lookUp();
		String first = realm.lastIssued();
		assertThat(realm.issued()).as("more than 60 s left: reused").hasSize(issuedBefore + 1);

		// 60 s before its expiry the token counts as expiring: the next call fetches a new one.
		await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(firstFetch.plusMillis(5500)));
		lookUp();

		assertThat(realm.issued()).hasSize(issuedBefore + 2);
		assertThat(realm.lastIssued()).isNotEqualTo(first);
		assertThat(orderService.acceptedTokens()).last().isEqualTo(realm.lastIssued());
	}

	/**
	 * The realm goes down: the token held is used while it is valid, then a customer's handshake, which cannot be
	 * checked without order-service, is a clear 503 (never a 500), and order-service is not called without a token.
	 * Nothing of this counts against order-service's circuit breaker. Back up, the next call gets a new token.
	 */
	@Test
	void whenTheRealmIsDownTheHeldTokenIsUsedUntilItExpiresThenHandshakesAre503() throws Exception {
		realm.expiresIn(Duration.ofSeconds(6));
		int issuedBefore = realm.issued().size();
		Instant firstFetch = Instant.now();
		lookUp();
		String held = realm.lastIssued();
		CircuitBreaker breaker = this.breakers.circuitBreaker(OrderServiceClientConfiguration.BREAKER);

		realm.down();
		assertThat(lookUp().get("status").asString()).isEqualTo("AWAITING_PAYMENT");
		assertThat(orderService.acceptedTokens()).last().as("the held token, still valid").isEqualTo(held);
		assertThat(realm.issued()).hasSize(issuedBefore + 1);

		await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(firstFetch.plusMillis(6500)));
		int callsBefore = orderService.calls();
		UUID order = orderOnlyOrderServiceKnows();
		try (RawHandshake handshake = RawHandshake.open(this.port, "/ws/orders/" + order,
				tokens.customer(CUSTOMER.toString()))) {
			RawHandshake.Response response = handshake.response();
			assertThat(response.status()).isEqualTo(503);
			assertThat(response.head()).containsIgnoringCase("Content-Type: application/problem+json")
				.containsIgnoringCase("Retry-After: 5");
			assertThat(response.body()).contains("https://shop.example.com/problems/service-unavailable")
				.doesNotContain("Exception");
		}
		// An admin may watch any order: accepted without its status, as when order-service cannot answer.
		StatusClient admin = StatusClient.connect(this.webSockets, uri(order), tokens.admin());
		this.opened.add(admin);
		assertThat(admin.isOpen()).isTrue();
		assertThat(orderService.calls()).as("no call without a token").isEqualTo(callsBefore);
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();

		realm.up();
		assertThat(lookUp().get("status").asString()).isEqualTo("AWAITING_PAYMENT");
		assertThat(realm.issued()).hasSize(issuedBefore + 2);
		assertThat(orderService.acceptedTokens()).last().isEqualTo(realm.lastIssued()).isNotEqualTo(held);
	}

	/** A customer's handshake for an order only order-service knows: accepted, and its first frame. */
	private JsonNode lookUp() throws Exception {
		StatusClient client = StatusClient.connect(this.webSockets, uri(orderOnlyOrderServiceKnows()),
				tokens.customer(CUSTOMER.toString()));
		this.opened.add(client);
		return client.next();
	}

	private static UUID orderOnlyOrderServiceKnows() {
		UUID order = UUID.randomUUID();
		orderService.answer(order,
				new StandInOrderService.Order("AWAITING_PAYMENT", null, Instant.now().toString(), CUSTOMER));
		return order;
	}

	private String uri(UUID order) {
		return "ws://127.0.0.1:" + this.port + "/ws/orders/" + order;
	}

	private static <T> T start(IoSupplier<T> standIn) {
		try {
			return standIn.get();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@FunctionalInterface
	private interface IoSupplier<T> {

		T get() throws IOException;

	}

}

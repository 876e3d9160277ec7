package com.example.shop.storefront.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import com.example.shop.storefront.ApiJson;
import com.example.shop.storefront.GatewayStandIn;
import com.example.shop.storefront.Html;
import com.example.shop.storefront.PageSlice;
import com.example.shop.storefront.Shoppers;

/**
 * What any page shows when the shop behind it cannot answer ({@code Trouble}): a page with a title and a sentence
 * about what happened and what to do, with the status that fits, never a stack trace or a status code alone. The
 * gateway unreachable or slow, or a service behind it down, is 503 "try again in a minute"; the circuit breaker
 * "gateway" then answers at once; a login the gateway no longer accepts is ended and the shopper sent to log in.
 * All pages but the live feeds (they need gRPC and a WebSocket), with a read deadline of half a second.
 */
@WebMvcTest(properties = "shop.storefront.gateway.read-timeout=500ms",
		excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX,
				pattern = "com\\.example\\.shop\\.storefront\\.(catalog\\.StockFeed|orders\\.OrderStatusRelay)"))
@Import(PageSlice.class)
class TroublePagesTests {

	@RegisterExtension
	static final GatewayStandIn gateway = new GatewayStandIn();

	@DynamicPropertySource
	static void gateway(DynamicPropertyRegistry properties) {
		gateway.pointStorefrontHere(properties);
	}

	static final UUID MUG = ApiJson.MUG;

	@Autowired
	MockMvc mvc;

	@Autowired
	Shoppers shoppers;

	private MvcResult catalog() throws Exception {
		return this.mvc.perform(get("/")).andReturn();
	}

	private static void assertNoInternals(Html page) {
		assertThat(page.text()).doesNotContain("Exception")
			.doesNotContain("at com.")
			.doesNotContain("at org.")
			.doesNotContain("127.0.0.1")
			.doesNotContain("/api/")
			.doesNotContain("503")
			.doesNotContain("Whitelabel");
	}

	@Test
	void anUnreachableGatewayIsA503PageWithASentence() throws Exception {
		gateway.down();

		MvcResult result = catalog();

		assertThat(result.getResponse().getStatus()).isEqualTo(503);
		Html page = Html.of(result);
		assertThat(page.text("h1")).isEqualTo("Please try again in a minute");
		assertThat(page.text("#trouble-sentence")).isEqualTo(
				"This part of the shop is not available right now. Nothing was lost: please try again in a minute.");
		assertThat(page.one("main a").attr("href")).isEqualTo("/");
		assertNoInternals(page);
	}

	@Test
	void anUnreachableGatewayOnTheProductAndOrderPagesToo() throws Exception {
		gateway.down();

		Html product = Html.of(this.mvc.perform(get("/products/{id}", MUG))
			.andExpect(status().isServiceUnavailable())
			.andReturn());
		Html orders = Html.of(this.mvc.perform(get("/orders").with(this.shoppers.alice()))
			.andExpect(status().isServiceUnavailable())
			.andReturn());
		Html deadLetters = Html.of(this.mvc.perform(get("/admin/dead-letters").with(this.shoppers.admin()))
			.andExpect(status().isServiceUnavailable())
			.andReturn());

		for (Html page : List.of(product, orders, deadLetters)) {
			assertThat(page.text("#trouble-sentence")).contains("not available right now");
			assertNoInternals(page);
		}
	}

	@Test
	void aGatewaySlowerThanTheDeadlineIsA503Page() throws Exception {
		gateway.on("GET", "/api/products").json(ApiJson.page(List.of(), 0, 12, 0)).after(Duration.ofSeconds(2));

		long started = System.nanoTime();
		MvcResult result = catalog();

		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1900));
		assertThat(result.getResponse().getStatus()).isEqualTo(503);
		assertThat(Html.of(result).text("#trouble-sentence")).contains("not available right now");
	}

	@ParameterizedTest
	@ValueSource(ints = { 500, 502, 503, 504 })
	void aServiceBehindTheGatewayDownIsA503PageWithASentence(int answered) throws Exception {
		gateway.on("GET", "/api/products")
			.problem(answered, "Service Unavailable",
					"java.lang.IllegalStateException: product-service at com.example.Foo(Foo.java:1)");

		MvcResult result = catalog();

		assertThat(result.getResponse().getStatus()).isEqualTo(503);
		Html page = Html.of(result);
		assertThat(page.text("#trouble-sentence")).contains("not available right now");
		assertNoInternals(page);
		assertThat(page.text()).doesNotContain("product-service");
	}

	@Test
	void aThrottledVisitorIsToldHowLongToWait() throws Exception {
		gateway.on("GET", "/api/products").problem(429, "Too Many Requests", "Rate limit exceeded")
			.header("Retry-After", "7");

		MvcResult result = catalog();

		assertThat(result.getResponse().getStatus()).isEqualTo(429);
		Html page = Html.of(result);
		assertThat(page.text("h1")).isEqualTo("A little too fast");
		assertThat(page.text("#trouble-sentence"))
			.isEqualTo("You are going a little fast for us. Please wait 7 seconds and try again.");
	}

	@Test
	void aLoginTheGatewayRefusesIsEndedAndTheShopperSentToLogIn() throws Exception {
		gateway.on("GET", "/api/products").problem(401, "Unauthorized", "Jwt expired");
		MockHttpSession session = new MockHttpSession();

		this.mvc.perform(get("/").session(session).with(this.shoppers.alice()))
			.andExpect(redirectedUrl("/oauth2/authorization/keycloak"));

		assertThat(gateway.only("GET", "/api/products").header("Authorization"))
			.isEqualTo("Bearer " + Shoppers.ALICE_TOKEN);
		assertThat(session.isInvalid()).as("the session, and with it the cart, is kept").isFalse();
		assertThat(session.getAttribute("SPRING_SECURITY_SAVED_REQUEST")).as("the page to come back to after the login")
			.isNotNull();
		assertThat(Collections.list(session.getAttributeNames()))
			.as("no tokens are kept for the ended login")
			.noneMatch(name -> name.contains("AUTHORIZED_CLIENTS") && session.getAttribute(name) instanceof Map<?, ?> clients
					&& clients.containsKey("keycloak"));
	}

	@Test
	void whileTheBreakerIsOpenPagesAnswerAtOnceWithoutAskingTheGateway() throws Exception {
		gateway.down();
		for (int i = 0; i < 10; i++) {
			assertThat(catalog().getResponse().getStatus()).isEqualTo(503);
		}
		gateway.up();
		gateway.on("GET", "/api/products").json(ApiJson.page(List.of(), 0, 12, 0));

		MvcResult result = catalog();

		assertThat(result.getResponse().getStatus()).isEqualTo(503);
		assertThat(Html.of(result).text("#trouble-sentence")).contains("not available right now");
		assertThat(gateway.requests()).as("the open breaker did not call the gateway").isEmpty();
	}

	@Test
	void refusalsOfWhatWasAskedNeverOpenTheBreaker() throws Exception {
		gateway.on("GET", "/api/products/" + MUG).problem(404, "Not Found", "No such product");
		for (int i = 0; i < 20; i++) {
			this.mvc.perform(get("/products/{id}", MUG)).andExpect(status().isNotFound());
		}
		gateway.on("GET", "/api/products").json(ApiJson.page(List.of(ApiJson.mug()), 0, 12, 1));

		assertThat(catalog().getResponse().getStatus()).isEqualTo(200);
	}

	/**
	 * BUG (left disabled, main code not changed here): {@code GatewayUnreachableException} and {@code ShopApi} say the
	 * breaker counts only an unreachable gateway, "a 5xx answer means the gateway is up ... one service being down
	 * must not close the whole shop (the catalog keeps working while order-service is away)". But application.yml
	 * {@code resilience4j.circuitbreaker.instances.gateway.record-exceptions} names {@code ShopUnavailableException},
	 * the superclass that every 5xx answer is thrown as: ten order pages while order-service is down (gateway 503)
	 * open the breaker and the catalog answers "not available" too. Fix: record
	 * {@code com.example.shop.storefront.shop.GatewayUnreachableException} only (and the yml comment "5xx" with it).
	 */
	@Test
	void oneServiceDownDoesNotCloseTheCatalog() throws Exception {
		gateway.on("GET", "/api/orders").problem(503, "Service Unavailable", "order-service is unavailable");
		for (int i = 0; i < 10; i++) {
			this.mvc.perform(get("/orders").with(this.shoppers.alice())).andExpect(status().isServiceUnavailable());
		}
		gateway.on("GET", "/api/products").json(ApiJson.page(List.of(ApiJson.mug()), 0, 12, 1));

		assertThat(catalog().getResponse().getStatus()).isEqualTo(200);
	}

}

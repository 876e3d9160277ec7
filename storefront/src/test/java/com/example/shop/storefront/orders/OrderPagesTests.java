package com.example.shop.storefront.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import com.example.shop.storefront.ApiJson;
import com.example.shop.storefront.GatewayStandIn;
import com.example.shop.storefront.GatewayStandIn.Request;
import com.example.shop.storefront.Html;
import com.example.shop.storefront.PageSlice;
import com.example.shop.storefront.Shoppers;

/**
 * The shopper's orders: the history ({@code /orders}, newest first, ten a page) and one order
 * ({@code /orders/{id}}): its status in words (the code only in {@code data-status}, for the live updates), its
 * lines, and a cancel form while it can still be cancelled. Signed-in shoppers only; whose order it is, is the API's
 * business.
 */
@WebMvcTest(OrderPagesController.class)
@Import(PageSlice.class)
class OrderPagesTests {

	@RegisterExtension
	static final GatewayStandIn gateway = new GatewayStandIn();

	@DynamicPropertySource
	static void gateway(DynamicPropertyRegistry properties) {
		gateway.pointStorefrontHere(properties);
	}

	static final UUID ORDER = UUID.fromString("7f000000-0000-4000-8000-000000000042");

	static final UUID OLDER = UUID.fromString("7f000000-0000-4000-8000-000000000041");

	@Autowired
	MockMvc mvc;

	@Autowired
	Shoppers shoppers;

	private Html orderPage(String status, String reason) throws Exception {
		gateway.on("GET", "/api/orders/" + ORDER).json(ApiJson.order(ORDER, status, reason, 2));
		return Html.of(this.mvc.perform(get("/orders/{id}", ORDER).with(this.shoppers.alice()))
			.andExpect(status().isOk())
			.andReturn());
	}

	@Test
	void anAnonymousVisitorIsSentToLogIn() throws Exception {
		this.mvc.perform(get("/orders")).andExpect(redirectedUrl("/oauth2/authorization/keycloak"));
		this.mvc.perform(get("/orders/{id}", ORDER)).andExpect(redirectedUrl("/oauth2/authorization/keycloak"));

		assertThat(gateway.requests()).isEmpty();
	}

	@Test
	void theHistoryListsTheShoppersOrdersNewestFirstWithTheirStatusInWords() throws Exception {
		gateway.on("GET", "/api/orders")
			.json(ApiJson.page(List.of(ApiJson.order(ORDER, "AWAITING_PAYMENT", null, 2),
					ApiJson.order(OLDER, "CANCELLED", "PAYMENT_DECLINED", 1)), 0, 10, 2));

		Html page = Html.of(this.mvc.perform(get("/orders").with(this.shoppers.alice()))
			.andExpect(status().isOk())
			.andReturn());

		Request asked = gateway.only("GET", "/api/orders");
		assertThat(asked.header("Authorization")).isEqualTo("Bearer " + Shoppers.ALICE_TOKEN);
		assertThat(asked.param("page")).isEqualTo("0");
		assertThat(asked.param("size")).isEqualTo("10");
		assertThat(asked.param("sort")).isEqualTo("createdAt,desc");
		List<Html.Node> rows = page.select("#order-history tbody tr");
		assertThat(rows).hasSize(2);
		assertThat(rows.get(0).one("a").attr("href")).isEqualTo("/orders/" + ORDER);
		assertThat(rows.get(0).one("a").text()).isEqualTo("2026-12-07 09:15 UTC");
		assertThat(rows.get(0).select("td").stream().map(Html.Node::text).toList()).containsExactly(
				"2026-12-07 09:15 UTC", "1", "€25.00",
				"Your items are set aside; we are asking your bank for the payment.");
		assertThat(rows.get(1).select("td").get(3).text())
			.isEqualTo("Cancelled: your bank declined the payment. Nothing was charged.");
		assertThat(page.text()).doesNotContain("AWAITING_PAYMENT").doesNotContain("PAYMENT_DECLINED");
		assertThat(page.has("nav.pages")).isFalse();
	}

	@Test
	void noOrdersYetIsSaidSo() throws Exception {
		gateway.on("GET", "/api/orders").json(ApiJson.page(List.of(), 0, 10, 0));

		Html page = Html.of(this.mvc.perform(get("/orders").with(this.shoppers.alice()))
			.andExpect(status().isOk())
			.andReturn());

		assertThat(page.text("#no-orders")).isEqualTo("You have not ordered anything yet.");
		assertThat(page.has("#order-history")).isFalse();
	}

	@Test
	void aLongHistoryLinksToOlderAndNewerPages() throws Exception {
		gateway.on("GET", "/api/orders").json(ApiJson.page(List.of(ApiJson.order(ORDER, "CONFIRMED", null, 1)), 1,
				10, 25));

		Html page = Html.of(this.mvc.perform(get("/orders").param("page", "1").with(this.shoppers.alice()))
			.andExpect(status().isOk())
			.andReturn());

		assertThat(gateway.only("GET", "/api/orders").param("page")).isEqualTo("1");
		assertThat(page.one("nav.pages a[rel=prev]").attr("href")).isEqualTo("/orders?page=0");
		assertThat(page.one("nav.pages a[rel=next]").attr("href")).isEqualTo("/orders?page=2");
	}

	@Test
	void aNegativePageIsTheFirst() throws Exception {
		gateway.on("GET", "/api/orders").json(ApiJson.page(List.of(), 0, 10, 0));

		this.mvc.perform(get("/orders").param("page", "-5").with(this.shoppers.alice())).andExpect(status().isOk());

		assertThat(gateway.only("GET", "/api/orders").param("page")).isEqualTo("0");
	}

	@Test
	void anOrderInProgressShowsItsStatusInWordsItsLinesAndTheCancelForm() throws Exception {
		Html page = orderPage("PENDING", null);

		assertThat(page.text("#order-id")).isEqualTo(ORDER.toString());
		assertThat(page.text("#order-status")).isEqualTo("Received: we are setting your items aside.");
		assertThat(page.one("#order-status").attr("data-status")).isEqualTo("PENDING");
		assertThat(page.one("#order-status").attr("data-feed")).isEqualTo("/orders/" + ORDER + "/status");
		assertThat(page.select("#order-lines tbody tr td").stream().map(Html.Node::text).toList())
			.containsExactly("Enamel Mug", "2", "€25.00");
		assertThat(page.text("#order-lines tfoot td")).isEqualTo("€25.00");
		assertThat(page.text("main")).contains("Receipt to alice@example.com.");
		Html.Node cancel = page.one("#cancel-order");
		assertThat(page.one("main form").attr("action")).isEqualTo("/orders/" + ORDER + "/cancel");
		assertThat(page.one("main form input[name=_csrf]").attr("value")).isNotBlank();
		assertThat(cancel.text()).isEqualTo("Cancel this order");
		assertThat(gateway.only("GET", "/api/orders/" + ORDER).header("Authorization"))
			.isEqualTo("Bearer " + Shoppers.ALICE_TOKEN);
	}

	@Test
	void aConfirmedOrderHasNoLiveFeedAndOffersARefund() throws Exception {
		Html page = orderPage("CONFIRMED", null);

		assertThat(page.text("#order-status")).isEqualTo("Confirmed: your order is on its way to the warehouse.");
		assertThat(page.one("#order-status").attr("data-status")).isEqualTo("CONFIRMED");
		assertThat(page.one("#order-status").hasAttr("data-feed")).isFalse();
		assertThat(page.text("#cancel-order")).as("within the refund window; the API decides (409 after it)")
			.isEqualTo("Cancel and refund this order");
	}

	@Test
	void aRefundingOrderSaysSoAndOffersNoSecondCancel() throws Exception {
		Html page = orderPage("REFUNDING", "REFUNDED");

		assertThat(page.text("#order-status"))
			.isEqualTo("You cancelled it: we are taking the items back and refunding your payment.");
		assertThat(page.has("#cancel-order")).isFalse();
		assertThat(page.one("#order-status").hasAttr("data-feed")).as("its end arrives live").isTrue();
	}

	@Test
	void aCancelledOrderSaysWhyInWords() throws Exception {
		Html page = orderPage("CANCELLED", "OUT_OF_STOCK");

		assertThat(page.text("#order-status"))
			.isEqualTo("Cancelled: we did not have enough in stock. Nothing was charged.");
		assertThat(page.one("#order-status").attr("data-status")).isEqualTo("CANCELLED");
		assertThat(page.has("#cancel-order")).isFalse();
	}

	@Test
	void aFailedOrderIsFinalToo() throws Exception {
		Html page = orderPage("FAILED", null);

		assertThat(page.text("#order-status")).startsWith("Something went wrong on our side");
		assertThat(page.has("#cancel-order")).isFalse();
	}

	@Test
	void anOrderBeingConfirmedCanStillBeAskedToCancel() throws Exception {
		Html page = orderPage("CONFIRMING", null);

		assertThat(page.text("#order-status")).isEqualTo("Payment approved; we are confirming your order.");
		assertThat(page.has("#cancel-order")).as("not final yet: the API decides (409)").isTrue();
	}

	@Test
	void someoneElsesOrderIsNotFound() throws Exception {
		gateway.on("GET", "/api/orders/" + ORDER).problem(404, "Not Found", "Order not found");

		Html page = Html.of(this.mvc.perform(get("/orders/{id}", ORDER).with(this.shoppers.alice()))
			.andExpect(status().isNotFound())
			.andReturn());

		assertThat(page.text("h1")).isEqualTo("Not found");
		assertThat(page.text("#trouble-sentence")).isEqualTo("We could not find that. It may have been removed.");
	}

	@Test
	void cancellingAsksTheApiAndSaysSo() throws Exception {
		gateway.on("POST", "/api/orders/" + ORDER + "/cancel").status(202)
			.json(ApiJson.order(ORDER, "COMPENSATING", null, 2));

		this.mvc.perform(post("/orders/{id}/cancel", ORDER).with(this.shoppers.alice()).with(csrf()))
			.andExpect(redirectedUrl("/orders/" + ORDER))
			.andExpect(flash().attribute("message", "We are cancelling your order."));

		assertThat(gateway.only("POST", "/api/orders/" + ORDER + "/cancel").header("Authorization"))
			.isEqualTo("Bearer " + Shoppers.ALICE_TOKEN);
	}

	@Test
	void anOrderTooFarAlongCannotBeCancelled() throws Exception {
		gateway.on("POST", "/api/orders/" + ORDER + "/cancel").problem(409, "Conflict", "Order is CONFIRMED");

		var result = this.mvc.perform(post("/orders/{id}/cancel", ORDER).with(this.shoppers.alice()).with(csrf()))
			.andExpect(redirectedUrl("/orders/" + ORDER))
			.andExpect(flash().attribute("message", "This order can no longer be cancelled."))
			.andReturn();

		// The order's page after the redirect shows the sentence.
		gateway.on("GET", "/api/orders/" + ORDER).json(ApiJson.order(ORDER, "CONFIRMED", null, 2));
		Html page = Html.of(this.mvc
			.perform(get("/orders/{id}", ORDER).with(this.shoppers.alice()).flashAttrs(result.getFlashMap()))
			.andExpect(status().isOk())
			.andReturn());
		assertThat(page.text("#message")).isEqualTo("This order can no longer be cancelled.");
	}

	@Test
	void cancellingWithoutTheCsrfTokenIsRefused() throws Exception {
		this.mvc.perform(post("/orders/{id}/cancel", ORDER).with(this.shoppers.alice()))
			.andExpect(status().isForbidden());

		assertThat(gateway.requests()).isEmpty();
	}

	@Test
	void aTokenTheGatewayRefusesSendsTheShopperToLogInAgain() throws Exception {
		gateway.on("GET", "/api/orders").problem(401, "Unauthorized", "Token expired");

		this.mvc.perform(get("/orders").with(this.shoppers.alice()))
			.andExpect(redirectedUrl("/oauth2/authorization/keycloak"));
	}

}

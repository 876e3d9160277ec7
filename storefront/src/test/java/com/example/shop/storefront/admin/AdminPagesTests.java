package com.example.shop.storefront.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.forwardedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import com.example.shop.storefront.ApiJson;
import com.example.shop.storefront.GatewayStandIn;
import com.example.shop.storefront.GatewayStandIn.Request;
import com.example.shop.storefront.Html;
import com.example.shop.storefront.PageSlice;
import com.example.shop.storefront.Shoppers;

/**
 * The staff pages ({@code /admin/**}, role {@code admin}): edit a product without overwriting someone else's
 * change (the version from its {@code ETag}, sent back as {@code If-Match}), set its stock, and list, replay or
 * discard the dead letters of each service. Every action is the public API's admin call with the admin's own token.
 * A customer gets the "staff only" page.
 */
@WebMvcTest(AdminController.class)
@Import(PageSlice.class)
class AdminPagesTests {

	@RegisterExtension
	static final GatewayStandIn gateway = new GatewayStandIn();

	@DynamicPropertySource
	static void gateway(DynamicPropertyRegistry properties) {
		gateway.pointStorefrontHere(properties);
	}

	static final UUID MUG = ApiJson.MUG;

	static final UUID LETTER = UUID.fromString("d0000000-0000-4000-8000-000000000007");

	@Autowired
	MockMvc mvc;

	@Autowired
	Shoppers shoppers;

	private Html page(MvcResult result) {
		return Html.of(result);
	}

	private void theMugWithVersion7() {
		gateway.on("GET", "/api/products/" + MUG).json(ApiJson.mug()).header("ETag", "\"7\"");
		gateway.on("GET", "/api/inventory/" + MUG).json(ApiJson.stock(MUG, 10, 3));
	}

	private MvcResult saveMug() throws Exception {
		return this.mvc
			.perform(post("/admin/products/{id}", MUG).with(this.shoppers.admin()).with(csrf())
				.param("version", "\"7\"").param("sku", "MUG-0001").param("name", "Enamel Mug, blue")
				.param("description", "Camp mug, 350 ml").param("category", "kitchen").param("price", "13.90")
				.param("currency", "EUR").param("available", "true"))
			.andExpect(redirectedUrl("/admin/products/" + MUG))
			.andReturn();
	}

	private Html productPageAfter(MvcResult redirect) throws Exception {
		theMugWithVersion7();
		return page(this.mvc
			.perform(get("/admin/products/{id}", MUG).with(this.shoppers.admin()).flashAttrs(redirect.getFlashMap()))
			.andExpect(status().isOk())
			.andReturn());
	}

	@Test
	void aCustomerIsShownTheStaffOnlyPage() throws Exception {
		this.mvc.perform(get("/admin").with(this.shoppers.alice()))
			.andExpect(status().isForbidden())
			.andExpect(forwardedUrl("/staff-only"));
		this.mvc.perform(get("/admin/products/{id}", MUG).with(this.shoppers.alice()))
			.andExpect(status().isForbidden())
			.andExpect(forwardedUrl("/staff-only"));
		this.mvc.perform(post("/admin/dead-letters/order-service/{id}/replay", LETTER).with(this.shoppers.alice())
			.with(csrf())).andExpect(status().isForbidden()).andExpect(forwardedUrl("/staff-only"));

		// What the forward renders:
		Html page = page(this.mvc.perform(get("/staff-only").with(this.shoppers.alice()))
			.andExpect(status().isForbidden())
			.andReturn());
		assertThat(page.text("h1")).isEqualTo("Staff only");
		assertThat(page.text("#trouble-sentence"))
			.isEqualTo("This page is for shop staff. You are signed in as a customer.");
		assertThat(gateway.requests()).as("nothing reaches the gateway").isEmpty();
	}

	@Test
	void anAnonymousVisitorIsSentToLogIn() throws Exception {
		this.mvc.perform(get("/admin/dead-letters")).andExpect(redirectedUrl("/oauth2/authorization/keycloak"));
	}

	@Test
	void theStaffHomeLinksToEachServicesDeadLetters() throws Exception {
		Html page = page(this.mvc.perform(get("/admin").with(this.shoppers.admin())).andExpect(status().isOk()).andReturn());

		assertThat(page.select("main ul li a").stream().map(a -> a.attr("href")))
			.containsExactly("/admin/dead-letters?service=order-service",
					"/admin/dead-letters?service=inventory-service", "/admin/dead-letters?service=payment-service",
					"/admin/dead-letters?service=notification-service",
					"/admin/dead-letters?service=product-service");
		assertThat(page.text("#shopper")).isEqualTo("Ada");
	}

	@Test
	void theEditFormHoldsTheProductItsVersionFromTheEtagAndItsStock() throws Exception {
		theMugWithVersion7();

		Html page = page(this.mvc.perform(get("/admin/products/{id}", MUG).with(this.shoppers.admin()))
			.andExpect(status().isOk())
			.andReturn());

		assertThat(page.one("#product-form").attr("action")).isEqualTo("/admin/products/" + MUG);
		assertThat(page.one("#product-form input[name=version]").attr("value")).isEqualTo("\"7\"");
		assertThat(page.one("#sku").attr("value")).isEqualTo("SKU-0001");
		assertThat(page.one("#name").attr("value")).isEqualTo("Enamel Mug");
		assertThat(page.text("#description")).isEqualTo("Enamel Mug, made to last");
		assertThat(page.one("#product-category").attr("value")).isEqualTo("kitchen");
		assertThat(page.one("#product-price").attr("value")).isEqualTo("12.50");
		assertThat(page.one("#currency").attr("value")).isEqualTo("EUR");
		assertThat(page.one("#product-form input[name=available]").hasAttr("checked")).isTrue();
		assertThat(page.text("#stock-levels"))
			.isEqualTo("10 on hand, 3 reserved for orders in progress, 7 available");
		assertThat(page.one("#on-hand").attr("value")).isEqualTo("10");
		assertThat(gateway.only("GET", "/api/products/" + MUG).header("Authorization"))
			.isEqualTo("Bearer " + Shoppers.ADMIN_TOKEN);
	}

	@Test
	void aProductWithoutAStockRecordSaysSo() throws Exception {
		gateway.on("GET", "/api/products/" + MUG).json(ApiJson.mug()).header("ETag", "\"7\"");
		gateway.on("GET", "/api/inventory/" + MUG).problem(404, "Not Found", "No stock record");

		Html page = page(this.mvc.perform(get("/admin/products/{id}", MUG).with(this.shoppers.admin()))
			.andExpect(status().isOk())
			.andReturn());

		assertThat(page.has("#stock-levels")).isFalse();
		assertThat(page.text("main")).contains("No stock recorded yet.");
		assertThat(page.one("#on-hand").attr("value")).isEqualTo("0");
	}

	@Test
	void savingSendsEveryFieldWithIfMatch() throws Exception {
		gateway.on("PUT", "/api/products/" + MUG).json(ApiJson.mug()).header("ETag", "\"8\"");

		MvcResult saved = saveMug();

		assertThat(saved.getFlashMap().get("message")).isEqualTo("Saved.");
		Request put = gateway.only("PUT", "/api/products/" + MUG);
		assertThat(put.header("If-Match")).isEqualTo("\"7\"");
		assertThat(put.header("Authorization")).isEqualTo("Bearer " + Shoppers.ADMIN_TOKEN);
		assertThat((String) JsonPath.read(put.body(), "$.sku")).isEqualTo("MUG-0001");
		assertThat((String) JsonPath.read(put.body(), "$.name")).isEqualTo("Enamel Mug, blue");
		assertThat((String) JsonPath.read(put.body(), "$.description")).isEqualTo("Camp mug, 350 ml");
		assertThat((String) JsonPath.read(put.body(), "$.category")).isEqualTo("kitchen");
		assertThat(JsonPath.read(put.body(), "$.price").toString()).isEqualTo("13.9");
		assertThat((String) JsonPath.read(put.body(), "$.currency")).isEqualTo("EUR");
		assertThat((Boolean) JsonPath.read(put.body(), "$.available")).isTrue();
		assertThat(productPageAfter(saved).text("#message")).isEqualTo("Saved.");
	}

	@Test
	void anUncheckedAvailableBoxSendsFalse() throws Exception {
		gateway.on("PUT", "/api/products/" + MUG).json(ApiJson.mug());

		this.mvc.perform(post("/admin/products/{id}", MUG).with(this.shoppers.admin()).with(csrf())
			.param("version", "\"7\"").param("sku", "MUG-0001").param("name", "Enamel Mug")
			.param("category", "kitchen").param("price", "12.50").param("currency", "EUR"))
			.andExpect(redirectedUrl("/admin/products/" + MUG));

		Request put = gateway.only("PUT", "/api/products/" + MUG);
		assertThat((Boolean) JsonPath.read(put.body(), "$.available")).isFalse();
		assertThat((String) JsonPath.read(put.body(), "$.description")).isEmpty();
	}

	@Test
	void aStaleVersionSaysSomeoneElseChangedIt() throws Exception {
		gateway.on("PUT", "/api/products/" + MUG).problem(412, "Precondition Failed", "Version 7 is stale");

		MvcResult refused = saveMug();

		assertThat(refused.getFlashMap().get("trouble")).asString().startsWith("Someone else changed this");
		Html page = productPageAfter(refused);
		assertThat(page.text("#trouble")).isEqualTo(
				"Someone else changed this in the meantime. Reload the page to see their change, then try again.");
	}

	@Test
	void settingTheStockSendsTheUnitsOnHand() throws Exception {
		gateway.on("PUT", "/api/inventory/" + MUG).json(ApiJson.stock(MUG, 12, 3));

		this.mvc.perform(post("/admin/products/{id}/stock", MUG).with(this.shoppers.admin()).with(csrf())
			.param("onHand", "12"))
			.andExpect(redirectedUrl("/admin/products/" + MUG))
			.andExpect(flash().attribute("message", "Stock set to 12."));

		Request put = gateway.only("PUT", "/api/inventory/" + MUG);
		assertThat((Integer) JsonPath.read(put.body(), "$.onHand")).isEqualTo(12);
		assertThat(put.header("Authorization")).isEqualTo("Bearer " + Shoppers.ADMIN_TOKEN);
	}

	@Test
	void stockBelowWhatIsReservedIsRefusedWithASentence() throws Exception {
		gateway.on("PUT", "/api/inventory/" + MUG).problem(409, "Conflict", "3 units are reserved");

		MvcResult refused = this.mvc
			.perform(post("/admin/products/{id}/stock", MUG).with(this.shoppers.admin()).with(csrf())
				.param("onHand", "1"))
			.andExpect(redirectedUrl("/admin/products/" + MUG))
			.andReturn();

		assertThat(productPageAfter(refused).text("#trouble"))
			.isEqualTo("Not below what is reserved for orders in progress: 3 units are reserved");
	}

	@Test
	void theDeadLettersOfAServiceAreListed() throws Exception {
		UUID second = UUID.fromString("d0000000-0000-4000-8000-000000000008");
		gateway.on("GET", "/api/admin/payment-service/dead-letters")
			.json(ApiJson.list(ApiJson.deadLetter(LETTER, "OrderPlaced", "bad json"),
					ApiJson.deadLetter(second, "PaymentRequested", "unknown order")));

		Html page = page(this.mvc
			.perform(get("/admin/dead-letters").param("service", "payment-service").with(this.shoppers.admin()))
			.andExpect(status().isOk())
			.andReturn());

		assertThat(gateway.only("GET", "/api/admin/payment-service/dead-letters").header("Authorization"))
			.isEqualTo("Bearer " + Shoppers.ADMIN_TOKEN);
		assertThat(page.text("#dead-letter-service")).isEqualTo("payment-service");
		assertThat(page.one("nav[aria-label=Services] a[aria-current=page]").text()).isEqualTo("payment-service");
		List<Html.Node> rows = page.select("tr.dead-letter");
		assertThat(rows).hasSize(2);
		assertThat(rows.get(0).attr("data-dead-letter-id")).isEqualTo(LETTER.toString());
		assertThat(rows.get(0).select("td").stream().limit(4).map(Html.Node::text).toList())
			.containsExactly("2026-12-07 08:00:00", "orders.events", "OrderPlaced", "bad json");
		assertThat(rows.get(0).one("pre").text()).isEqualTo("{\"orderId\":\"x\"}");
		assertThat(rows.get(0).select("form").stream().map(f -> f.attr("action"))).containsExactly(
				"/admin/dead-letters/payment-service/" + LETTER + "/replay",
				"/admin/dead-letters/payment-service/" + LETTER + "/discard");
	}

	@Test
	void noDeadLettersIsSaidSo() throws Exception {
		gateway.on("GET", "/api/admin/order-service/dead-letters").json("[]");

		Html page = page(this.mvc.perform(get("/admin/dead-letters").with(this.shoppers.admin()))
			.andExpect(status().isOk())
			.andReturn());

		assertThat(page.text("#dead-letter-service")).as("order-service by default").isEqualTo("order-service");
		assertThat(page.text("#no-dead-letters")).startsWith("Nothing is waiting");
	}

	@Test
	void anUnknownServiceInTheAddressListsOrderServiceInstead() throws Exception {
		gateway.on("GET", "/api/admin/order-service/dead-letters").json("[]");

		this.mvc.perform(get("/admin/dead-letters").param("service", "../../api/orders").with(this.shoppers.admin()))
			.andExpect(status().isOk());

		assertThat(gateway.requests()).extracting(Request::path)
			.containsExactly("/api/admin/order-service/dead-letters");
	}

	@Test
	void replayingCallsTheServicesReplay() throws Exception {
		gateway.on("POST", "/api/admin/order-service/dead-letters/" + LETTER + "/replay").status(202);

		this.mvc.perform(post("/admin/dead-letters/order-service/{id}/replay", LETTER).with(this.shoppers.admin())
			.with(csrf()))
			.andExpect(redirectedUrl("/admin/dead-letters?service=order-service"))
			.andExpect(flash().attribute("message", "Sent back to be handled again. (" + LETTER + ")"));

		Request replay = gateway.only("POST", "/api/admin/order-service/dead-letters/" + LETTER + "/replay");
		assertThat(replay.header("Authorization")).isEqualTo("Bearer " + Shoppers.ADMIN_TOKEN);
	}

	@Test
	void discardingDeletesTheDeadLetter() throws Exception {
		gateway.on("DELETE", "/api/admin/inventory-service/dead-letters/" + LETTER).status(204);

		this.mvc.perform(post("/admin/dead-letters/inventory-service/{id}/discard", LETTER)
			.with(this.shoppers.admin())
			.with(csrf()))
			.andExpect(redirectedUrl("/admin/dead-letters?service=inventory-service"))
			.andExpect(flash().attribute("message", "Discarded. (" + LETTER + ")"));

		assertThat(gateway.only("DELETE", "/api/admin/inventory-service/dead-letters/" + LETTER)
			.header("Authorization")).isEqualTo("Bearer " + Shoppers.ADMIN_TOKEN);
	}

	@Test
	void aReplayTheServiceRefusesIsSaidInASentence() throws Exception {
		gateway.on("POST", "/api/admin/order-service/dead-letters/" + LETTER + "/replay")
			.problem(409, "Conflict", "The dead letter was discarded");

		this.mvc.perform(post("/admin/dead-letters/order-service/{id}/replay", LETTER).with(this.shoppers.admin())
			.with(csrf()))
			.andExpect(redirectedUrl("/admin/dead-letters?service=order-service"))
			.andExpect(flash().attribute("trouble", "That could not be done: The dead letter was discarded"));
	}

	@Test
	void anUnknownServiceIsRefusedWithoutCallingTheGateway() throws Exception {
		MvcResult refused = this.mvc
			.perform(post("/admin/dead-letters/{service}/{id}/replay", "billing-service", LETTER)
				.with(this.shoppers.admin())
				.with(csrf()))
			.andExpect(redirectedUrl("/admin/dead-letters"))
			.andExpect(flash().attribute("trouble", "There is no service called billing-service."))
			.andReturn();

		assertThat(gateway.requests()).isEmpty();

		gateway.on("GET", "/api/admin/order-service/dead-letters").json("[]");
		Html page = page(this.mvc
			.perform(get("/admin/dead-letters").with(this.shoppers.admin()).flashAttrs(refused.getFlashMap()))
			.andExpect(status().isOk())
			.andReturn());
		assertThat(page.text("#trouble")).isEqualTo("There is no service called billing-service.");
	}

	@Test
	void aReplayWithoutTheCsrfTokenIsRefused() throws Exception {
		this.mvc.perform(post("/admin/dead-letters/order-service/{id}/replay", LETTER).with(this.shoppers.admin()))
			.andExpect(status().isForbidden());

		assertThat(gateway.requests()).isEmpty();
	}

	@Test
	void theGatewayRefusingTheAdminIsTheStaffOnlyPage() throws Exception {
		gateway.on("GET", "/api/admin/order-service/dead-letters").problem(403, "Forbidden", "Needs role admin");

		Html page = page(this.mvc.perform(get("/admin/dead-letters").with(this.shoppers.admin()))
			.andExpect(status().isForbidden())
			.andReturn());

		assertThat(page.text("h1")).isEqualTo("Staff only");
		assertThat(page.text("#trouble-sentence")).isEqualTo("Only shop staff may do that.");
	}

}

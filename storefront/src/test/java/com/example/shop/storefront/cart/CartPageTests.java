package com.example.shop.storefront.cart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
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

/**
 * The cart ({@code /cart}): kept in the shopper's session, filled from a product page (the product and its price
 * read from the catalog), changed and emptied with plain forms. Anybody may use it; every change is a POST with
 * the CSRF token.
 */
@WebMvcTest(CartController.class)
@Import(PageSlice.class)
class CartPageTests {

	@RegisterExtension
	static final GatewayStandIn gateway = new GatewayStandIn();

	@DynamicPropertySource
	static void gateway(DynamicPropertyRegistry properties) {
		gateway.pointStorefrontHere(properties);
	}

	static final UUID MUG = ApiJson.MUG;

	static final UUID LAMP = ApiJson.LAMP;

	@Autowired
	MockMvc mvc;

	final MockHttpSession session = new MockHttpSession();

	@BeforeEach
	void catalog() {
		gateway.on("GET", "/api/products/" + MUG).json(ApiJson.mug());
		gateway.on("GET", "/api/products/" + LAMP).json(ApiJson.lamp());
	}

	private MvcResult add(UUID product, int quantity) throws Exception {
		return this.mvc
			.perform(post("/cart/items").session(this.session).with(csrf()).param("productId", product.toString())
				.param("quantity", String.valueOf(quantity)))
			.andReturn();
	}

	private void change(UUID product, int quantity) throws Exception {
		this.mvc
			.perform(post("/cart/items/{id}", product).session(this.session).with(csrf())
				.param("quantity", String.valueOf(quantity)))
			.andExpect(redirectedUrl("/cart"));
	}

	private Html cartPage() throws Exception {
		return Html.of(this.mvc.perform(get("/cart").session(this.session)).andExpect(status().isOk()).andReturn());
	}

	@Test
	void aNewVisitorsCartIsEmpty() throws Exception {
		Html page = cartPage();

		assertThat(page.text("#empty-cart")).startsWith("Your cart is empty.");
		assertThat(page.has("#cart-lines")).isFalse();
		assertThat(page.has("#checkout")).isFalse();
		assertThat(page.text("#cart-count")).isEqualTo("0");
	}

	@Test
	void addChangeAndRemoveInOneSession() throws Exception {
		MvcResult added = add(MUG, 2);
		assertThat(added.getResponse().getRedirectedUrl()).isEqualTo("/cart");
		assertThat(added.getFlashMap().get("message")).isEqualTo("Added 2 × Enamel Mug to your cart.");
		add(LAMP, 1);

		Html page = cartPage();
		assertThat(page.select("tr.cart-line")).hasSize(2);
		Html.Node mugLine = page.one("tr.cart-line[data-product-id=" + MUG + "]");
		assertThat(mugLine.one("a").text()).isEqualTo("Enamel Mug");
		assertThat(mugLine.one("input[name=quantity]").attr("value")).isEqualTo("2");
		assertThat(mugLine.select("form").get(0).attr("action")).isEqualTo("/cart/items/" + MUG);
		assertThat(mugLine.select("form").get(1).attr("action")).isEqualTo("/cart/items/" + MUG + "/remove");
		assertThat(mugLine.select("td").get(3).text()).isEqualTo("€25.00");
		assertThat(page.text("#cart-total")).isEqualTo("€55.00");
		assertThat(page.text("#cart-count")).isEqualTo("3");
		assertThat(page.one("#checkout").attr("href")).isEqualTo("/checkout");

		change(MUG, 5);
		page = cartPage();
		assertThat(page.one("tr.cart-line[data-product-id=" + MUG + "] input[name=quantity]").attr("value"))
			.isEqualTo("5");
		assertThat(page.text("#cart-total")).isEqualTo("€92.50");

		this.mvc.perform(post("/cart/items/{id}/remove", MUG).session(this.session).with(csrf()))
			.andExpect(redirectedUrl("/cart"));
		page = cartPage();
		assertThat(page.select("tr.cart-line")).hasSize(1);
		assertThat(page.has("tr.cart-line[data-product-id=" + MUG + "]")).isFalse();
		assertThat(page.text("#cart-count")).isEqualTo("1");

		change(LAMP, 0);
		assertThat(cartPage().has("#empty-cart")).as("quantity 0 removes the line").isTrue();
	}

	@Test
	void addingTheSameProductAgainAddsToItsLine() throws Exception {
		add(MUG, 2);
		add(MUG, 3);

		Html page = cartPage();
		assertThat(page.select("tr.cart-line")).hasSize(1);
		assertThat(page.one("tr.cart-line input[name=quantity]").attr("value")).isEqualTo("5");
	}

	@Test
	void quantitiesAreClampedToTwenty() throws Exception {
		MvcResult added = add(MUG, 50);
		assertThat(added.getFlashMap().get("message")).isEqualTo("Added 20 × Enamel Mug to your cart.");
		assertThat(cartPage().one("tr.cart-line input[name=quantity]").attr("value")).isEqualTo("20");

		add(MUG, 5);
		assertThat(cartPage().one("tr.cart-line input[name=quantity]").attr("value")).as("never beyond 20 in total")
			.isEqualTo("20");

		change(MUG, 999);
		assertThat(cartPage().one("tr.cart-line input[name=quantity]").attr("value")).isEqualTo("20");
	}

	@Test
	void addingZeroOrLessAddsOne() throws Exception {
		add(MUG, 0);
		add(LAMP, -4);

		Html page = cartPage();
		assertThat(page.one("tr.cart-line[data-product-id=" + MUG + "] input[name=quantity]").attr("value"))
			.isEqualTo("1");
		assertThat(page.one("tr.cart-line[data-product-id=" + LAMP + "] input[name=quantity]").attr("value"))
			.isEqualTo("1");
	}

	@Test
	void aNegativeQuantityRemovesTheLine() throws Exception {
		add(MUG, 2);

		change(MUG, -1);

		assertThat(cartPage().has("#empty-cart")).isTrue();
	}

	@Test
	void theNameAndPriceComeFromTheCatalogNotFromTheForm() throws Exception {
		this.mvc
			.perform(post("/cart/items").session(this.session).with(csrf()).param("productId", MUG.toString())
				.param("name", "Free Mug").param("price", "0.01"))
			.andExpect(redirectedUrl("/cart"));

		assertThat(gateway.only("GET", "/api/products/" + MUG).header("Authorization")).isNull();
		Html page = cartPage();
		assertThat(page.one("tr.cart-line a").text()).isEqualTo("Enamel Mug");
		assertThat(page.text("#cart-total")).isEqualTo("€12.50");
	}

	@Test
	void aProductNotSoldAtTheMomentIsNotAdded() throws Exception {
		gateway.on("GET", "/api/products/" + MUG).json(ApiJson.product(MUG, "Enamel Mug", "12.50", false));

		this.mvc
			.perform(post("/cart/items").session(this.session).with(csrf()).param("productId", MUG.toString()))
			.andExpect(redirectedUrl("/products/" + MUG))
			.andExpect(flash().attribute("message", "Enamel Mug is not sold at the moment."));

		assertThat(cartPage().has("#empty-cart")).isTrue();
	}

	@Test
	void anUnknownProductIsA404Page() throws Exception {
		UUID gone = UUID.fromString("00000000-0000-4000-8000-0000000000ff");
		gateway.on("GET", "/api/products/" + gone).problem(404, "Not Found", "No such product");

		Html page = Html.of(this.mvc
			.perform(post("/cart/items").session(this.session).with(csrf()).param("productId", gone.toString()))
			.andExpect(status().isNotFound())
			.andReturn());

		assertThat(page.text("#trouble-sentence")).isEqualTo("We could not find that. It may have been removed.");
		assertThat(cartPage().has("#empty-cart")).isTrue();
	}

	@Test
	void aChangeWithoutTheCsrfTokenIsRefused() throws Exception {
		this.mvc.perform(post("/cart/items").session(this.session).param("productId", MUG.toString()))
			.andExpect(status().isForbidden());

		assertThat(gateway.requests()).isEmpty();
		assertThat(cartPage().has("#empty-cart")).isTrue();
	}

	@Test
	void theCartFormsCarryTheCsrfToken() throws Exception {
		add(MUG, 1);

		Html page = cartPage();

		assertThat(page.select("tr.cart-line form")).hasSize(2)
			.allSatisfy(form -> assertThat(form.one("input[name=_csrf]").attr("value")).isNotBlank());
	}

	/**
	 * BUG (left disabled, main code not changed here): the catalog may hold products in other currencies (an admin
	 * can set any ISO code; the order API even has a "Mixed currencies" refusal), and the cart accepts them, but
	 * {@code Cart.total()} adds the lines with {@code Money.plus}, which throws IllegalArgumentException for two
	 * currencies. cart.html (and checkout.html) call {@code cart.total().get()}, so the cart page fails with a 500
	 * and the shopper cannot even reach the remove button of the line. Fix: either refuse the second currency in
	 * {@code CartController.add} with a sentence ("place one order per currency"), or total per currency.
	 */
	@Test
	void aProductInASecondCurrencyIsRefusedInASentenceAndTheCartKept() throws Exception {
		UUID usd = UUID.fromString("00000000-0000-4000-8000-000000000003");
		gateway.on("GET", "/api/products/" + usd).json(ApiJson.product(usd, "Trail Map", "9.00", "USD", true));
		add(MUG, 1);

		MvcResult refused = add(usd, 1);

		assertThat(refused.getResponse().getRedirectedUrl()).isEqualTo("/products/" + usd);
		assertThat((String) refused.getFlashMap().get("message"))
			.isEqualTo("Trail Map is priced in USD and your cart in EUR: one order has one currency. Please order it separately.");
		Html page = cartPage();
		assertThat(page.select("tr.cart-line")).hasSize(1);
		assertThat(page.has("tr.cart-line[data-product-id=" + MUG + "]")).isTrue();
	}

}

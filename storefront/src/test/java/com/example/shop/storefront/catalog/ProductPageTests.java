package com.example.shop.storefront.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

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
import com.example.shop.storefront.Html;
import com.example.shop.storefront.PageSlice;
import com.example.shop.storefront.Shoppers;

/**
 * A product's page ({@code /products/{id}}): the product from {@code GET /api/products/{id}}, its availability in
 * words from {@code GET /api/inventory/{id}}, and the "add to cart" form only while it can be bought.
 */
@WebMvcTest(CatalogController.class)
@Import(PageSlice.class)
class ProductPageTests {

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

	private Html productPage() throws Exception {
		return Html.of(this.mvc.perform(get("/products/{id}", MUG)).andExpect(status().isOk()).andReturn());
	}

	@Test
	void showsTheProductAndPlentyInStock() throws Exception {
		gateway.on("GET", "/api/products/" + MUG).json(ApiJson.mug());
		gateway.on("GET", "/api/inventory/" + MUG).json(ApiJson.stock(MUG, 40, 2));

		Html page = productPage();

		assertThat(page.text("#product-name")).isEqualTo("Enamel Mug");
		assertThat(page.text("#price")).isEqualTo("€12.50");
		assertThat(page.text("p.sku")).isEqualTo("SKU SKU-0001 · kitchen");
		assertThat(page.text("#availability")).isEqualTo("In stock (38 available)");
		assertThat(page.one("#availability").attr("data-feed")).isEqualTo("/products/" + MUG + "/stock");
		assertThat(page.one("form.add").attr("action")).isEqualTo("/cart/items");
		assertThat(page.one("form.add input[name=productId]").attr("value")).isEqualTo(MUG.toString());
		assertThat(page.one("form.add input[name=_csrf]").attr("value")).as("every form carries the CSRF token")
			.isNotBlank();
		assertThat(page.has("#edit-product")).as("no staff link for a visitor").isFalse();
		assertThat(gateway.only("GET", "/api/inventory/" + MUG).header("Authorization")).isNull();
	}

	@Test
	void aFewLeftIsSaidSo() throws Exception {
		gateway.on("GET", "/api/products/" + MUG).json(ApiJson.mug());
		gateway.on("GET", "/api/inventory/" + MUG).json(ApiJson.stock(MUG, 5, 2));

		Html page = productPage();

		assertThat(page.text("#availability")).isEqualTo("Only 3 left");
		assertThat(page.has("#add-to-cart")).isTrue();
	}

	@Test
	void outOfStockHidesTheAddForm() throws Exception {
		gateway.on("GET", "/api/products/" + MUG).json(ApiJson.mug());
		gateway.on("GET", "/api/inventory/" + MUG).json(ApiJson.stock(MUG, 4, 4));

		Html page = productPage();

		assertThat(page.text("#availability")).isEqualTo("Out of stock");
		assertThat(page.has("form.add")).isFalse();
		assertThat(page.has("#add-to-cart")).isFalse();
	}

	@Test
	void aProductInventoryHasNoRecordOfIsUnknownButCanBeAdded() throws Exception {
		gateway.on("GET", "/api/products/" + MUG).json(ApiJson.mug());
		gateway.on("GET", "/api/inventory/" + MUG).problem(404, "Not Found", "No stock record");

		Html page = productPage();

		assertThat(page.text("#availability")).isEqualTo("Availability unknown");
		assertThat(page.has("form.add")).as("the saga decides when the order is placed").isTrue();
	}

	@Test
	void aProductTheCatalogDoesNotSellHasNoAddForm() throws Exception {
		gateway.on("GET", "/api/products/" + MUG).json(ApiJson.product(MUG, "Enamel Mug", "12.50", false));
		gateway.on("GET", "/api/inventory/" + MUG).json(ApiJson.stock(MUG, 10, 0));

		Html page = productPage();

		assertThat(page.has("form.add")).isFalse();
	}

	@Test
	void staffSeeTheEditLinkAndTheirTokenIsRelayed() throws Exception {
		gateway.on("GET", "/api/products/" + MUG).json(ApiJson.mug());
		gateway.on("GET", "/api/inventory/" + MUG).json(ApiJson.stock(MUG, 10, 0));

		Html page = Html.of(this.mvc.perform(get("/products/{id}", MUG).with(this.shoppers.admin()))
			.andExpect(status().isOk())
			.andReturn());

		assertThat(page.one("#edit-product").attr("href")).isEqualTo("/admin/products/" + MUG);
		assertThat(gateway.only("GET", "/api/products/" + MUG).header("Authorization"))
			.isEqualTo("Bearer " + Shoppers.ADMIN_TOKEN);
	}

	@Test
	void anUnknownProductIsA404PageWithASentence() throws Exception {
		UUID gone = UUID.fromString("00000000-0000-4000-8000-0000000000ff");
		gateway.on("GET", "/api/products/" + gone)
			.problem(404, "Not Found", "Product 00000000-0000-4000-8000-0000000000ff not found");

		Html page = Html.of(this.mvc.perform(get("/products/{id}", gone)).andExpect(status().isNotFound()).andReturn());

		assertThat(page.text("h1")).isEqualTo("Not found");
		assertThat(page.text("#trouble-sentence")).isEqualTo("We could not find that. It may have been removed.");
		assertThat(gateway.requests("GET", "/api/inventory/" + gone)).as("no stock asked for a missing product")
			.isEmpty();
	}

	@Test
	void anAddressThatIsNoProductIdIsRefusedWithoutAskingTheGateway() throws Exception {
		this.mvc.perform(get("/products/{id}", "not-a-uuid")).andExpect(status().isBadRequest());

		assertThat(gateway.requests()).isEmpty();
	}

}

package com.example.shop.storefront.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import com.example.shop.storefront.ApiJson;
import com.example.shop.storefront.GatewayStandIn;
import com.example.shop.storefront.Html;
import com.example.shop.storefront.PageSlice;
import com.example.shop.storefront.Shoppers;
import com.example.shop.storefront.GatewayStandIn.Request;

/** The catalog page ({@code /}): search, filters, sorting and paging, all passed on to {@code GET /api/products}. */
@WebMvcTest(CatalogController.class)
@Import(PageSlice.class)
class CatalogPageTests {

	@RegisterExtension
	static final GatewayStandIn gateway = new GatewayStandIn();

	@DynamicPropertySource
	static void gateway(DynamicPropertyRegistry properties) {
		gateway.pointStorefrontHere(properties);
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	Shoppers shoppers;

	/** The catalog page, as a first visit opens it: no parameters at all. */
	private static MockHttpServletRequestBuilder catalog() {
		return get("/");
	}

	@Test
	void showsTheProductsOfThePageWithTheirPrices() throws Exception {
		gateway.on("GET", "/api/products")
			.json(ApiJson.page(List.of(ApiJson.mug(), ApiJson.product(ApiJson.LAMP, "Camp Lamp", "30.00", false)), 0,
					12, 2));

		Html page = Html.of(this.mvc.perform(catalog()).andExpect(status().isOk()).andReturn());

		assertThat(page.text("#result-count")).isEqualTo("2 products");
		List<Html.Node> products = page.select("#products li.product");
		assertThat(products).hasSize(2);
		assertThat(products.get(0).attr("data-product-id")).isEqualTo(ApiJson.MUG.toString());
		assertThat(products.get(0).one("h2 a").text()).isEqualTo("Enamel Mug");
		assertThat(products.get(0).one("h2 a").attr("href")).isEqualTo("/products/" + ApiJson.MUG);
		assertThat(products.get(0).one(".price").text()).isEqualTo("€12.50");
		assertThat(products.get(0).has(".sold-out")).isFalse();
		assertThat(products.get(1).one(".price").text()).isEqualTo("€30.00");
		assertThat(products.get(1).one(".sold-out").text()).isEqualTo("Out of stock");
		assertThat(page.has("#no-results")).isFalse();
		assertThat(page.has("nav.pages")).as("one page needs no paging").isFalse();
	}

	@Test
	void anAnonymousVisitorsCatalogIsAskedForWithoutAToken() throws Exception {
		gateway.on("GET", "/api/products").json(ApiJson.page(List.of(ApiJson.mug()), 0, 12, 1));

		this.mvc.perform(catalog()).andExpect(status().isOk());

		Request asked = gateway.only("GET", "/api/products");
		assertThat(asked.header("Authorization")).isNull();
		assertThat(asked.query()).containsOnlyKeys("page", "size", "sort");
		assertThat(asked.param("page")).isEqualTo("0");
		assertThat(asked.param("size")).isEqualTo("12");
		assertThat(asked.param("sort")).isEqualTo("name,asc");
	}

	/**
	 * The shop's home page. (It failed with a NullPointerException in CatalogQuery, {@code Set.of(..).contains(null)},
	 * when this test was written; fixed in main since.)
	 */
	@Test
	void theBareAddressShowsTheFirstPageInNameOrder() throws Exception {
		gateway.on("GET", "/api/products").json(ApiJson.page(List.of(ApiJson.mug()), 0, 12, 1));

		Html page = Html.of(this.mvc.perform(get("/")).andExpect(status().isOk()).andReturn());

		assertThat(page.select("#products li.product")).hasSize(1);
		Request asked = gateway.only("GET", "/api/products");
		assertThat(asked.param("sort")).isEqualTo("name,asc");
		assertThat(asked.param("page")).isEqualTo("0");
	}

	@Test
	void aSignedInShoppersCatalogIsAskedForWithTheirToken() throws Exception {
		gateway.on("GET", "/api/products").json(ApiJson.page(List.of(ApiJson.mug()), 0, 12, 1));

		Html page = Html.of(this.mvc.perform(catalog().with(this.shoppers.alice())).andExpect(status().isOk()).andReturn());

		assertThat(gateway.only("GET", "/api/products").header("Authorization"))
			.isEqualTo("Bearer " + Shoppers.ALICE_TOKEN);
		assertThat(page.text("#shopper")).isEqualTo("Alice");
	}

	@Test
	void passesTheSearchFiltersSortAndPageToTheApi() throws Exception {
		gateway.on("GET", "/api/products").json(ApiJson.page(List.of(), 2, 12, 30));

		this.mvc
			.perform(get("/").param("q", "mug").param("category", "kitchen").param("minPrice", "5")
				.param("maxPrice", "20.50").param("sort", "price,desc").param("page", "2"))
			.andExpect(status().isOk());

		Request asked = gateway.only("GET", "/api/products");
		assertThat(asked.param("q")).isEqualTo("mug");
		assertThat(asked.param("category")).isEqualTo("kitchen");
		assertThat(asked.param("minPrice")).isEqualTo("5");
		assertThat(asked.param("maxPrice")).isEqualTo("20.50");
		assertThat(asked.param("sort")).isEqualTo("price,desc");
		assertThat(asked.param("page")).isEqualTo("2");
		assertThat(asked.param("size")).isEqualTo("12");
	}

	@Test
	void searchWordsWithAmpersandAndPlusArriveIntact() throws Exception {
		gateway.on("GET", "/api/products").json(ApiJson.page(List.of(), 0, 12, 0));

		Html page = Html.of(this.mvc.perform(catalog().param("q", "salt & pepper+grinder=2 50%"))
			.andExpect(status().isOk())
			.andReturn());

		Request asked = gateway.only("GET", "/api/products");
		assertThat(asked.param("q")).isEqualTo("salt & pepper+grinder=2 50%");
		assertThat(asked.query()).containsOnlyKeys("q", "page", "size", "sort");
		assertThat(page.one("input[name=q]").attr("value")).isEqualTo("salt & pepper+grinder=2 50%");
	}

	@Test
	void aHandEditedAddressIsSetBackToWhatTheApiAccepts() throws Exception {
		gateway.on("GET", "/api/products").json(ApiJson.page(List.of(), 0, 12, 0));

		this.mvc
			.perform(get("/").param("q", "   ").param("sort", "password,asc").param("page", "-3")
				.param("minPrice", "40").param("maxPrice", "10"))
			.andExpect(status().isOk());

		Request asked = gateway.only("GET", "/api/products");
		assertThat(asked.param("q")).as("blank words are no search").isNull();
		assertThat(asked.param("sort")).isEqualTo("name,asc");
		assertThat(asked.param("page")).isEqualTo("0");
		assertThat(asked.param("minPrice")).as("the range is turned round").isEqualTo("10");
		assertThat(asked.param("maxPrice")).isEqualTo("40");
	}

	@Test
	void anEmptyPageSaysNothingMatches() throws Exception {
		gateway.on("GET", "/api/products").json(ApiJson.page(List.of(), 0, 12, 0));

		Html page = Html.of(this.mvc.perform(catalog().param("q", "unicorn")).andExpect(status().isOk()).andReturn());

		assertThat(page.text("#no-results")).startsWith("Nothing matches");
		assertThat(page.select("#products li")).isEmpty();
		assertThat(page.text("#result-count")).isEqualTo("0 products");
	}

	@Test
	void theFiltersShowWhatWasAskedFor() throws Exception {
		gateway.on("GET", "/api/products").json(ApiJson.page(List.of(), 0, 12, 0));

		Html page = Html.of(this.mvc.perform(get("/").param("category", "books").param("sort", "createdAt,desc"))
			.andExpect(status().isOk())
			.andReturn());

		assertThat(page.select("#category option").stream().map(Html.Node::text))
			.containsExactly("All", "apparel", "books", "electronics", "kitchen", "outdoor", "toys");
		assertThat(page.one("#category option[selected]").text()).isEqualTo("books");
		assertThat(page.one("#sort option[selected]").attr("value")).isEqualTo("createdAt,desc");
	}

	@Test
	void aMiddlePageLinksToThePreviousAndNextPagesKeepingTheFilters() throws Exception {
		gateway.on("GET", "/api/products").json(ApiJson.page(List.of(ApiJson.mug()), 1, 12, 30));

		Html page = Html.of(this.mvc.perform(get("/").param("q", "salt & pepper").param("category", "kitchen")
			.param("sort", "price,asc").param("page", "1")).andExpect(status().isOk()).andReturn());

		assertThat(page.text("nav.pages span")).isEqualTo("Page 2 of 3");
		String next = page.one("#next-page").attr("href");
		String previous = page.one("#previous-page").attr("href");
		assertThat(next).contains("page=2").contains("q=salt%20%26%20pepper").contains("category=kitchen")
			.contains("sort=price,asc");
		assertThat(previous).contains("page=0").contains("q=salt%20%26%20pepper");

		// Following the link asks the API for that page with the same filters.
		this.mvc.perform(get(URI.create(next))).andExpect(status().isOk());
		Request asked = gateway.requests("GET", "/api/products").getLast();
		assertThat(asked.param("page")).isEqualTo("2");
		assertThat(asked.param("q")).isEqualTo("salt & pepper");
		assertThat(asked.param("category")).isEqualTo("kitchen");
		assertThat(asked.param("sort")).isEqualTo("price,asc");
	}

	@Test
	void theFirstPageHasNoPreviousAndTheLastNoNext() throws Exception {
		gateway.on("GET", "/api/products").json(ApiJson.page(List.of(ApiJson.mug()), 0, 12, 30));
		Html first = Html.of(this.mvc.perform(catalog()).andExpect(status().isOk()).andReturn());
		assertThat(first.has("#previous-page")).isFalse();
		assertThat(first.has("#next-page")).isTrue();

		gateway.on("GET", "/api/products").json(ApiJson.page(List.of(ApiJson.mug()), 2, 12, 30));
		Html last = Html.of(this.mvc.perform(catalog().param("page", "2")).andExpect(status().isOk()).andReturn());
		assertThat(last.has("#previous-page")).isTrue();
		assertThat(last.has("#next-page")).isFalse();
	}

}

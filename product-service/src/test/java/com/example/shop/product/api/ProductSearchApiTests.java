package com.example.shop.product.api;

import java.util.List;
import java.util.Map;

import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.TestTokens;
import com.example.shop.testsupport.UsesInfrastructure;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.test.web.servlet.client.RestTestClient.BodyContentSpec;
import org.springframework.web.util.UriBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /api/products and /api/products/{id} over real HTTP against the seeded catalog (V2 migration) in a
 * PostgreSQL database of this class's own. Nothing here writes, so the seed is what every test sees. The reads
 * are anonymous, as docs/api.md has them: no request here sends a token but the one to an unknown path.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.REDIS, Infrastructure.KAFKA, Infrastructure.TOKENS })
class ProductSearchApiTests {

	static final String FIRST_BOOK = "00000000-0000-4000-8000-000000000001";

	@Autowired
	RestTestClient client;

	@Test
	void seededCatalogHasAtLeast40ProductsInAtLeast5Categories() {
		Map<String, Object> page = page(b -> b.queryParam("size", 100));
		assertThat(((Number) meta(page).get("totalElements")).longValue()).isGreaterThanOrEqualTo(40);
		assertThat(content(page)).hasSize(48);
		assertThat(content(page).stream().map(p -> p.get("category")).distinct())
			.containsExactlyInAnyOrder("books", "electronics", "kitchen", "outdoor", "toys", "apparel");
	}

	@Test
	void seededProductHasItsDeterministicIdAndContractShape() {
		this.client.get()
			.uri("/api/products/{id}", FIRST_BOOK)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectHeader()
			.valueEquals("ETag", "\"0\"")
			.expectBody()
			.jsonPath("$.id").isEqualTo(FIRST_BOOK)
			.jsonPath("$.sku").isEqualTo("BOOK-0001")
			.jsonPath("$.name").isEqualTo("The Pragmatic Programmer")
			.jsonPath("$.description").isNotEmpty()
			.jsonPath("$.category").isEqualTo("books")
			.jsonPath("$.price").isEqualTo(42.90)
			.jsonPath("$.currency").isEqualTo("EUR")
			.jsonPath("$.available").isEqualTo(true)
			.jsonPath("$.createdAt").isEqualTo("2026-01-01T10:00:00Z")
			.jsonPath("$.updatedAt").isEqualTo("2026-01-01T10:00:00Z")
			.jsonPath("$.version").doesNotExist();
	}

	@Test
	void pricesAlwaysHaveTwoDecimals() {
		String body = this.client.get()
			.uri("/api/products/{id}", "00000000-0000-4000-8000-000000000005")
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseBody();
		assertThat(body).contains("\"price\":32.00");
	}

	@Test
	void defaultPageIsTwentyByNameAscending() {
		Map<String, Object> page = page(b -> b);
		assertThat(meta(page)).containsEntry("number", 0)
			.containsEntry("size", 20)
			.containsEntry("totalElements", 48)
			.containsEntry("totalPages", 3);
		assertThat(names(page)).hasSize(20)
			.startsWith("100% Merino Wool Hiking Socks", "27-inch 4K Monitor");
	}

	@Test
	void pagesThroughEverything() {
		Map<String, Object> last = page(b -> b.queryParam("size", 10).queryParam("page", 4));
		assertThat(meta(last)).containsEntry("number", 4).containsEntry("totalPages", 5);
		assertThat(content(last)).hasSize(8);
		Map<String, Object> beyond = page(b -> b.queryParam("size", 10).queryParam("page", 5));
		assertThat(content(beyond)).isEmpty();
		assertThat(meta(beyond)).containsEntry("totalElements", 48);
	}

	@Test
	void filtersByCategory() {
		Map<String, Object> page = page(b -> b.queryParam("category", "books"));
		assertThat(meta(page)).containsEntry("totalElements", 8);
		assertThat(content(page)).allSatisfy(p -> assertThat(p.get("category")).isEqualTo("books"));
	}

	@Test
	void searchesNameDescriptionAndSkuCaseInsensitively() {
		assertThat(names(page(b -> b.queryParam("q", "jAvA")))).containsExactly("Effective Java");
		assertThat(meta(page(b -> b.queryParam("q", "kitc-")))).containsEntry("totalElements", 8);
		// "smaug" appears only in a description
		assertThat(names(page(b -> b.queryParam("q", "smaug")))).containsExactly("The Hobbit");
	}

	@Test
	void combinesTextCategoryAndPrice() {
		Map<String, Object> page = page(b -> b.queryParam("q", "jacket")
			.queryParam("category", "apparel")
			.queryParam("maxPrice", "100"));
		assertThat(names(page)).containsExactly("Fleece Midlayer Jacket");
	}

	@Test
	void filtersByPriceRangeInclusive() {
		Map<String, Object> page = page(b -> b.queryParam("minPrice", "100").queryParam("maxPrice", "179.00")
			.queryParam("sort", "price,asc"));
		assertThat(names(page)).containsExactly("Mechanical Keyboard, Brown Switches", "Enamelled Dutch Oven 5 L",
				"Trail Running Shoes", "E-Reader with Warm Light", "Waterproof Rain Jacket");
	}

	@Test
	void sortsByAllowedFields() {
		assertThat(names(page(b -> b.queryParam("sort", "price,desc").queryParam("size", 2))))
			.containsExactly("27-inch 4K Monitor", "Two-Person Backpacking Tent");
		assertThat(names(page(b -> b.queryParam("sort", "price").queryParam("size", 1))))
			.containsExactly("The Hobbit");
		assertThat(names(page(b -> b.queryParam("sort", "createdAt,desc").queryParam("size", 1))))
			.containsExactly("Trail Running Shoes");
		assertThat(names(page(b -> b.queryParam("sort", "sku,desc").queryParam("size", 1))))
			.containsExactly("Jigsaw Puzzle 1000 Pieces: Alpine Lake");
		assertThat(names(page(b -> b.queryParam("sort", "category,desc", "price,desc").queryParam("size", 1))))
			.containsExactly("Wooden Train Set, 52 Pieces");
	}

	@Test
	void sqlMetacharactersInQueryMatchLiterally() {
		// Unescaped, "%" and "_" would be LIKE wildcards matching everything.
		assertThat(names(page(b -> b.queryParam("q", "{q}"), "%"))).containsExactly("100% Merino Wool Hiking Socks");
		assertThat(content(page(b -> b.queryParam("q", "{q}"), "_"))).isEmpty();
		assertThat(names(page(b -> b.queryParam("q", "{q}").queryParam("size", 100), "'"))).containsExactlyInAnyOrder(
				"Children's Illustrated World Atlas", "The Hobbit", "Chef's Knife 20 cm", "Kids' Art Set in Wooden Case");
		assertThat(content(page(b -> b.queryParam("q", "{q}"), "';--"))).isEmpty();
		assertThat(content(page(b -> b.queryParam("q", "{q}"), "'; DROP TABLE product;--"))).isEmpty();
		assertThat(content(page(b -> b.queryParam("q", "{q}"), "\\"))).isEmpty();
		assertThat(meta(page(b -> b))).containsEntry("totalElements", 48);
	}

	@Test
	void unknownIdIs404Problem() {
		String id = "00000000-0000-4000-8000-000000009999";
		problem("/api/products/" + id, 404, "not-found")
			.jsonPath("$.detail").isEqualTo("Product " + id + " does not exist")
			.jsonPath("$.instance").isEqualTo("/api/products/" + id);
	}

	@Test
	void nonUuidIdIs400Problem() {
		problem("/api/products/not-a-uuid", 400, "validation")
			.jsonPath("$.errors[0].field").isEqualTo("id")
			.jsonPath("$.errors[0].message").isEqualTo("must be a UUID");
	}

	@Test
	void pageSizeOutOfRangeIs400NamingSize() {
		problem("/api/products?size=0", 400, "validation")
			.jsonPath("$.errors.length()").isEqualTo(1)
			.jsonPath("$.errors[0].field").isEqualTo("size")
			.jsonPath("$.errors[0].message").isEqualTo("must be greater than or equal to 1");
		problem("/api/products?size=10000", 400, "validation")
			.jsonPath("$.errors[0].field").isEqualTo("size")
			.jsonPath("$.errors[0].message").isEqualTo("must be less than or equal to 100");
	}

	@Test
	void negativePageIs400NamingPage() {
		problem("/api/products?page=-1", 400, "validation").jsonPath("$.errors[0].field").isEqualTo("page");
	}

	@Test
	void wrongParameterTypesAre400NamingTheParameter() {
		problem("/api/products?page=abc", 400, "validation")
			.jsonPath("$.errors[0].field").isEqualTo("page")
			.jsonPath("$.errors[0].message").isEqualTo("must be a number");
		problem("/api/products?minPrice=cheap", 400, "validation")
			.jsonPath("$.errors[0].field").isEqualTo("minPrice");
	}

	@Test
	void unknownSortFieldOrDirectionIs400NamingSort() {
		problem("/api/products?sort=color", 400, "validation")
			.jsonPath("$.errors[0].field").isEqualTo("sort")
			.jsonPath("$.errors[0].message").value(String.class,
					m -> assertThat(m).startsWith("unknown sort field or direction 'color'"));
		problem("/api/products?sort=price,up", 400, "validation")
			.jsonPath("$.errors[0].field").isEqualTo("sort");
		// a column that exists but is not on the allow-list
		problem("/api/products?sort=description", 400, "validation")
			.jsonPath("$.errors[0].field").isEqualTo("sort");
	}

	@Test
	void negativePriceFilterIs400() {
		problem("/api/products?minPrice=-1", 400, "validation")
			.jsonPath("$.errors[0].field").isEqualTo("minPrice")
			.jsonPath("$.errors[0].message").isEqualTo("must be greater than or equal to 0.00");
		problem("/api/products?maxPrice=-0.01", 400, "validation")
			.jsonPath("$.errors[0].field").isEqualTo("maxPrice");
	}

	@Test
	void minPriceAboveMaxPriceIs400() {
		problem("/api/products?minPrice=50&maxPrice=10", 400, "validation")
			.jsonPath("$.detail").isEqualTo("minPrice 50 is greater than maxPrice 10")
			.jsonPath("$.errors[0].field").isEqualTo("minPrice")
			.jsonPath("$.errors[0].message").isEqualTo("must not be greater than maxPrice");
	}

	@Test
	void overlongQueryIs400() {
		problem("/api/products?q=" + "a".repeat(101), 400, "validation").jsonPath("$.errors[0].field")
			.isEqualTo("q");
	}

	/** Anonymously it is a 401 (only admins may call what the rules do not name; ProductAccessTests). */
	@Test
	void unknownPathIs404ProblemForAnAdmin() {
		this.client.get()
			.uri("/api/nothing")
			.headers(headers -> headers.setBearerAuth(TestTokens.issuer().admin()))
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/not-found")
			.jsonPath("$.instance").isEqualTo("/api/nothing");
	}

	private BodyContentSpec problem(String uri, int status, String type) {
		return this.client.get()
			.uri(uri)
			.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/" + type)
			.jsonPath("$.status").isEqualTo(status)
			.jsonPath("$.title").isNotEmpty()
			.jsonPath("$.detail").isNotEmpty()
			.jsonPath("$.instance").isNotEmpty();
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> page(java.util.function.Function<UriBuilder, UriBuilder> query, Object... variables) {
		return this.client.get()
			.uri(b -> query.apply(b.path("/api/products")).build(variables))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
	}

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> content(Map<String, Object> page) {
		return (List<Map<String, Object>>) page.get("content");
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> meta(Map<String, Object> page) {
		return (Map<String, Object>) page.get("page");
	}

	static List<String> names(Map<String, Object> page) {
		return content(page).stream().map(p -> (String) p.get("name")).toList();
	}

}

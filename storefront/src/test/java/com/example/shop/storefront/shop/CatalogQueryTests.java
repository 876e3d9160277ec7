package com.example.shop.storefront.shop;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.web.util.DefaultUriBuilderFactory;

/**
 * What a shopper asked the catalog for, set back to what the API accepts (a hand-edited address still shows
 * products), and the API address it becomes. No Spring: the URI builder is the one the RestClient uses.
 */
class CatalogQueryTests {

	static BigDecimal price(String value) {
		return new BigDecimal(value);
	}

	static URI apiAddress(CatalogQuery query) {
		return query.applyTo(new DefaultUriBuilderFactory("http://gateway").builder().path("/api/products"));
	}

	@Test
	void theFirstPageIsTwelveProductsByName() {
		CatalogQuery first = CatalogQuery.firstPage();

		assertThat(first).isEqualTo(new CatalogQuery(null, null, null, null, 0, 12, "name,asc"));
		assertThat(apiAddress(first)).hasToString("http://gateway/api/products?page=0&size=12&sort=name,asc");
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "  ", "\t\n" })
	void blankWordsAndCategoriesAreNoFilter(String blank) {
		CatalogQuery query = new CatalogQuery(blank, blank, null, null, 0, 12, "name,asc");

		assertThat(query.q()).isNull();
		assertThat(query.category()).isNull();
	}

	@Test
	void wordsAndCategoryAreStripped() {
		CatalogQuery query = new CatalogQuery("  enamel mug ", " kitchen ", null, null, 0, 12, "name,asc");

		assertThat(query.q()).isEqualTo("enamel mug");
		assertThat(query.category()).isEqualTo("kitchen");
	}

	@Test
	void wordsAreCutAtTheApisHundredCharacters() {
		CatalogQuery query = new CatalogQuery("x".repeat(150), null, null, null, 0, 12, "name,asc");

		assertThat(query.q()).hasSize(100);
	}

	@ParameterizedTest
	@ValueSource(strings = { "name,asc", "name,desc", "price,asc", "price,desc", "createdAt,desc" })
	void theOffersSortsAreKept(String sort) {
		assertThat(new CatalogQuery(null, null, null, null, 0, 12, sort).sort()).isEqualTo(sort);
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "price", "name,ASC", "sku,asc", "password,desc", "name,asc;drop" })
	void anyOtherSortIsByName(String sort) {
		assertThat(new CatalogQuery(null, null, null, null, 0, 12, sort).sort()).isEqualTo("name,asc");
	}

	@Test
	void aNegativePageIsTheFirst() {
		assertThat(new CatalogQuery(null, null, null, null, -4, 12, null).page()).isZero();
	}

	@Test
	void aPageSizeBeyondOneToFortyEightIsTwelve() {
		assertThat(new CatalogQuery(null, null, null, null, 0, 0, null).size()).isEqualTo(12);
		assertThat(new CatalogQuery(null, null, null, null, 0, 49, null).size()).isEqualTo(12);
		assertThat(new CatalogQuery(null, null, null, null, 0, 48, null).size()).isEqualTo(48);
		assertThat(new CatalogQuery(null, null, null, null, 0, 1, null).size()).isEqualTo(1);
	}

	@Test
	void negativePricesAreNoBound() {
		CatalogQuery query = new CatalogQuery(null, null, price("-1"), price("-0.01"), 0, 12, null);

		assertThat(query.minPrice()).isNull();
		assertThat(query.maxPrice()).isNull();
	}

	@Test
	void aRangeGivenTheWrongWayRoundIsTurnedRound() {
		CatalogQuery query = new CatalogQuery(null, null, price("40"), price("10"), 0, 12, null);

		assertThat(query.minPrice()).isEqualTo(price("10"));
		assertThat(query.maxPrice()).isEqualTo(price("40"));
	}

	@Test
	void anotherPageKeepsEverythingElse() {
		CatalogQuery query = new CatalogQuery("mug", "kitchen", price("5"), price("20"), 0, 12, "price,desc");

		assertThat(query.withPage(3))
			.isEqualTo(new CatalogQuery("mug", "kitchen", price("5"), price("20"), 3, 12, "price,desc"));
	}

	@Test
	void everyFilterBecomesAQueryParameter() {
		CatalogQuery query = new CatalogQuery("mug", "kitchen", price("5"), price("20.50"), 2, 12, "price,desc");

		assertThat(apiAddress(query)).hasToString(
				"http://gateway/api/products?q=mug&category=kitchen&minPrice=5&maxPrice=20.50&page=2&size=12&sort=price,desc");
	}

	@Test
	void pricesAreSentAsPlainNumbers() {
		CatalogQuery query = new CatalogQuery(null, null, price("1E+2"), null, 0, 12, null);

		assertThat(apiAddress(query).getRawQuery()).startsWith("minPrice=100&");
	}

	@Test
	void wordsAndCategoryAreEncodedAsData() {
		CatalogQuery query = new CatalogQuery("salt & pepper+grinder=2 50% {x}", "a&b", null, null, 0, 12, null);

		URI address = apiAddress(query);

		assertThat(address.getRawQuery()).startsWith(
				"q=salt%20%26%20pepper%2Bgrinder%3D2%2050%25%20%7Bx%7D&category=a%26b&page=0");
		// Decoded as a servlet container decodes a query string, the words are the shopper's again.
		String q = address.getRawQuery().split("&")[0].substring("q=".length());
		assertThat(URLDecoder.decode(q, StandardCharsets.UTF_8)).isEqualTo("salt & pepper+grinder=2 50% {x}");
	}

}

package com.example.shop.storefront.shop;

import java.math.BigDecimal;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.springframework.web.util.UriBuilder;

/**
 * What a shopper asked the catalog for: search words, a category, a price range, a page and an order. Built from
 * the catalog page's query string; anything the API would refuse (an unknown sort, a page size beyond its limit) is
 * set back to the default here, so a hand-edited address still shows products.
 */
public record CatalogQuery(String q, String category, BigDecimal minPrice, BigDecimal maxPrice, int page, int size,
		String sort) {

	public static final Set<String> SORTS = Set.of("name,asc", "name,desc", "price,asc", "price,desc",
			"createdAt,desc");

	public static final int PAGE_SIZE = 12;

	public CatalogQuery {
		q = blankToNull(q);
		category = blankToNull(category);
		page = Math.max(page, 0);
		size = (size < 1 || size > 48) ? PAGE_SIZE : size;
		sort = (sort != null && SORTS.contains(sort)) ? sort : "name,asc";
		if (minPrice != null && minPrice.signum() < 0) {
			minPrice = null;
		}
		if (maxPrice != null && maxPrice.signum() < 0) {
			maxPrice = null;
		}
		if (minPrice != null && maxPrice != null && minPrice.compareTo(maxPrice) > 0) {
			BigDecimal lower = maxPrice;
			maxPrice = minPrice;
			minPrice = lower;
		}
		if (q != null && q.length() > 100) {
			q = q.substring(0, 100);
		}
	}

	public static CatalogQuery firstPage() {
		return new CatalogQuery(null, null, null, null, 0, PAGE_SIZE, null);
	}

	public CatalogQuery withPage(int page) {
		return new CatalogQuery(q, category, minPrice, maxPrice, page, size, sort);
	}

	/** The API's address for this query; every value is encoded as data (a "+" or "&" in the words stays itself). */
	URI applyTo(UriBuilder uri) {
		Map<String, Object> values = new HashMap<>();
		if (q != null) {
			uri.queryParam("q", "{q}");
			values.put("q", q);
		}
		if (category != null) {
			uri.queryParam("category", "{category}");
			values.put("category", category);
		}
		if (minPrice != null) {
			uri.queryParam("minPrice", minPrice.toPlainString());
		}
		if (maxPrice != null) {
			uri.queryParam("maxPrice", maxPrice.toPlainString());
		}
		return uri.queryParam("page", page).queryParam("size", size).queryParam("sort", sort).build(values);
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

}

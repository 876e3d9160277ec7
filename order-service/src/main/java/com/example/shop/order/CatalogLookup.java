package com.example.shop.order;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The answer for a set of product ids: the products found, and the ids the catalog does not know. */
public record CatalogLookup(Map<UUID, CatalogProduct> found, List<UUID> missing) {

	public CatalogLookup {
		found = Map.copyOf(found);
		missing = List.copyOf(missing);
	}

}

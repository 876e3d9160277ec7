package com.example.shop.order;

import java.util.Collection;
import java.util.UUID;

/**
 * What placing an order asks of the catalog: the products of its lines, priced. A port: the gRPC adapter
 * ({@code order/catalog/ProductCatalogClient}) brings the deadline, the breaker and the retries.
 */
public interface ProductCatalog {

	/**
	 * @return the products found and the ids the catalog does not know
	 * @throws CatalogUnavailableException when the catalog cannot be asked now
	 */
	CatalogLookup lookup(Collection<UUID> ids);

}

package com.example.shop.order.catalog;

import com.example.shop.order.CatalogLookup;
import com.example.shop.order.CatalogProduct;
import com.example.shop.order.CatalogUnavailableException;
import com.example.shop.order.ProductCatalog;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.example.shop.proto.catalog.v1.BatchGetProductsRequest;
import com.example.shop.proto.catalog.v1.BatchGetProductsResponse;
import com.example.shop.proto.catalog.v1.CatalogServiceGrpc.CatalogServiceBlockingStub;
import com.example.shop.proto.catalog.v1.Product;
import com.example.shop.proto.common.v1.Money;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prices an order: all its products in ONE {@code BatchGetProducts} call to product-service over gRPC.
 * <p>
 * Resilience, outermost first: {@link Retry} "catalog" (the read is idempotent: a few attempts with
 * exponential backoff, only for failures a second attempt can fix) around {@link CircuitBreaker} "catalog"
 * (stops calling a product-service that keeps failing, so orders fail fast with 503 instead of piling up)
 * around the call, whose deadline is the channel's {@code default-deadline} (application.yml). The settings
 * are in application.yml under {@code resilience4j.*.instances.catalog}.
 */
public class ProductCatalogClient implements ProductCatalog {

	private static final Logger log = LoggerFactory.getLogger(ProductCatalogClient.class);

	/** product-service answers at most this many ids per call. */
	public static final int MAX_BATCH = 100;

	private final CatalogServiceBlockingStub catalog;

	private final CircuitBreaker circuitBreaker;

	private final Retry retry;

	public ProductCatalogClient(CatalogServiceBlockingStub catalog, CircuitBreaker circuitBreaker, Retry retry) {
		this.catalog = catalog;
		this.circuitBreaker = circuitBreaker;
		this.retry = retry;
	}

	/**
	 * @param ids at most {@link #MAX_BATCH}, no duplicates
	 * @throws CatalogUnavailableException when product-service cannot answer after the retries, or its
	 * circuit breaker is open
	 */
	@Override
	public CatalogLookup lookup(Collection<UUID> ids) {
		if (ids.size() > MAX_BATCH) {
			throw new IllegalArgumentException("at most " + MAX_BATCH + " products per lookup, got " + ids.size());
		}
		BatchGetProductsRequest request = BatchGetProductsRequest.newBuilder()
			.addAllProductIds(ids.stream().map(UUID::toString).toList())
			.build();
		BatchGetProductsResponse response;
		try {
			response = Retry.decorateSupplier(this.retry,
					CircuitBreaker.decorateSupplier(this.circuitBreaker, () -> call(request)))
				.get();
		}
		catch (CallNotPermittedException ex) {
			throw new CatalogUnavailableException("product-service circuit breaker is open", ex);
		}
		Map<UUID, CatalogProduct> found = new LinkedHashMap<>();
		for (Product product : response.getProductsList()) {
			CatalogProduct mapped = map(product);
			found.put(mapped.id(), mapped);
		}
		List<UUID> missing = new ArrayList<>();
		for (String id : response.getMissingProductIdsList()) {
			missing.add(UUID.fromString(id));
		}
		return new CatalogLookup(found, missing);
	}

	private BatchGetProductsResponse call(BatchGetProductsRequest request) {
		try {
			return this.catalog.batchGetProducts(request);
		}
		catch (StatusRuntimeException ex) {
			if (isTransient(ex.getStatus())) {
				log.debug("BatchGetProducts failed: {}", ex.getStatus());
				throw new CatalogUnavailableException("product-service did not answer: " + ex.getStatus().getCode(), ex);
			}
			// INVALID_ARGUMENT and the like: this service sent something product-service refuses. A bug, not
			// an outage: no retry, and the caller answers 500.
			throw new IllegalStateException("product-service refused BatchGetProducts: " + ex.getStatus(), ex);
		}
	}

	/** Failures another attempt (possibly on another replica) can fix. */
	static boolean isTransient(Status status) {
		return switch (status.getCode()) {
			case UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED -> true;
			default -> false;
		};
	}

	static CatalogProduct map(Product product) {
		Money price = product.getPrice();
		// units + nanos / 10^9, exactly; a catalog price has at most two decimals.
		BigDecimal amount = BigDecimal.valueOf(price.getUnits())
			.add(BigDecimal.valueOf(price.getNanos(), 9))
			.setScale(2, RoundingMode.UNNECESSARY);
		return new CatalogProduct(UUID.fromString(product.getId()), product.getSku(), product.getName(), amount,
				price.getCurrencyCode());
	}

}

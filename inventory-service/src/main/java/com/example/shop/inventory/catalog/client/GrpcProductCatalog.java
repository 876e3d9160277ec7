package com.example.shop.inventory.catalog.client;

import java.util.UUID;

import com.example.shop.inventory.catalog.CatalogUnavailableException;
import com.example.shop.inventory.catalog.ProductCatalog;
import com.example.shop.proto.catalog.v1.CatalogServiceGrpc.CatalogServiceBlockingStub;
import com.example.shop.proto.catalog.v1.GetProductRequest;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The {@link ProductCatalog} of product-service, asked over gRPC ({@code GetProduct}).
 * <p>
 * Resilience, outermost first: {@link Retry} "catalog" (a read: a few attempts with backoff, only for failures
 * another attempt can fix) around {@link CircuitBreaker} "catalog" (stops calling a product-service that keeps
 * failing) around the call, whose deadline is the channel's {@code default-deadline}. Settings in
 * application.yml under {@code resilience4j.*.instances.catalog}.
 */
class GrpcProductCatalog implements ProductCatalog {

	private final CatalogServiceBlockingStub catalog;

	private final CircuitBreaker circuitBreaker;

	private final Retry retry;

	GrpcProductCatalog(CatalogServiceBlockingStub catalog, CircuitBreaker circuitBreaker, Retry retry) {
		this.catalog = catalog;
		this.circuitBreaker = circuitBreaker;
		this.retry = retry;
	}

	/**
	 * @throws CatalogUnavailableException when product-service cannot answer after the retries, or its breaker
	 * is open
	 */
	@Override
	public boolean exists(UUID productId) {
		GetProductRequest request = GetProductRequest.newBuilder().setProductId(productId.toString()).build();
		try {
			return Retry.decorateSupplier(this.retry, CircuitBreaker.decorateSupplier(this.circuitBreaker, () -> call(request)))
				.get();
		}
		catch (CallNotPermittedException ex) {
			throw new CatalogUnavailableException(productId, "its circuit breaker is open", ex);
		}
	}

	private boolean call(GetProductRequest request) {
		try {
			this.catalog.getProduct(request);
			return true;
		}
		catch (StatusRuntimeException ex) {
			Status.Code code = ex.getStatus().getCode();
			if (code == Status.Code.NOT_FOUND) {
				return false;
			}
			if (isTransient(code)) {
				throw new CatalogUnavailableException(UUID.fromString(request.getProductId()), "it answered " + code, ex);
			}
			// INVALID_ARGUMENT and the like: this service sent something product-service refuses, a bug.
			throw new IllegalStateException("product-service refused GetProduct: " + ex.getStatus(), ex);
		}
	}

	/** Failures another attempt (possibly on another replica) can fix. */
	static boolean isTransient(Status.Code code) {
		return switch (code) {
			case UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED -> true;
			default -> false;
		};
	}

}

package com.example.shop.product.catalog;

import java.util.Optional;
import java.util.UUID;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.interceptor.CacheErrorHandler;
import org.springframework.stereotype.Component;

/**
 * Direct access to the products cache for the batch read, which {@code @Cacheable} cannot express (one
 * entry per id, one query for all misses), and for evictions after a commit. Failures go to the same
 * {@link CacheErrorHandler} as the annotations use, so a Redis outage degrades to database reads here too.
 */
@Component
public class ProductCache {

	private final CacheManager cacheManager;

	private final CacheErrorHandler errorHandler;

	ProductCache(CacheManager cacheManager, CacheErrorHandler errorHandler) {
		this.cacheManager = cacheManager;
		this.errorHandler = errorHandler;
	}

	Optional<Product> get(UUID id) {
		Cache cache = cache();
		try {
			return Optional.ofNullable(cache.get(id, Product.class));
		}
		catch (RuntimeException ex) {
			this.errorHandler.handleCacheGetError(ex, cache, id);
			return Optional.empty();
		}
	}

	void put(Product product) {
		Cache cache = cache();
		try {
			cache.put(product.id(), product);
		}
		catch (RuntimeException ex) {
			this.errorHandler.handleCachePutError(ex, cache, product.id(), product);
		}
	}

	/** Removes the product's entry, so the next read takes the database's. */
	public void evict(UUID id) {
		Cache cache = cache();
		try {
			cache.evict(id);
		}
		catch (RuntimeException ex) {
			this.errorHandler.handleCacheEvictError(ex, cache, id);
		}
	}

	private Cache cache() {
		Cache cache = this.cacheManager.getCache(ProductCatalog.CACHE);
		if (cache == null) {
			throw new IllegalStateException("Cache '" + ProductCatalog.CACHE + "' is not configured");
		}
		return cache;
	}

}

package com.example.shop.product.catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * The catalog's use cases. Single-product reads go through the shared Redis cache ({@link ProductCache});
 * every write evicts the product it changed, after the write succeeded.
 */
@Service
public class ProductCatalog {

	public static final String CACHE = "products";

	private final ProductRepository repository;

	private final ProductCache cache;

	ProductCatalog(ProductRepository repository, ProductCache cache) {
		this.repository = repository;
		this.cache = cache;
	}

	@Cacheable(cacheNames = CACHE, key = "#id", unless = "#result == null")
	public Optional<Product> find(UUID id) {
		return this.repository.findById(id);
	}

	/**
	 * The products with these ids (unknown ids are left out): cached ones from the cache, all the others in
	 * one query, which then fills the cache.
	 */
	public List<Product> findAll(Collection<UUID> ids) {
		Set<UUID> wanted = new LinkedHashSet<>(ids);
		List<Product> found = new ArrayList<>();
		List<UUID> misses = new ArrayList<>();
		for (UUID id : wanted) {
			this.cache.get(id).ifPresentOrElse(found::add, () -> misses.add(id));
		}
		for (Product product : this.repository.findAllById(misses)) {
			this.cache.put(product);
			found.add(product);
		}
		return found;
	}

	public ProductPage search(ProductSearch search, ProductSort sort, int page, int size) {
		long total = this.repository.count(search);
		List<Product> products = (total > (long) page * size) ? this.repository.search(search, sort, page, size)
				: List.of();
		return new ProductPage(products, page, size, total);
	}

	public List<Product> listAfter(UUID after, String category, int limit) {
		return this.repository.findPageAfter(after, category, limit);
	}

	/** @throws DuplicateSkuException when another product has its sku */
	public Product create(ProductDetails details) {
		return this.repository.insert(UUID.randomUUID(), details).orElseThrow(() -> duplicateSku(details, null));
	}

	/**
	 * Replaces the product's fields.
	 * @param expectedVersion the version the client last saw (from If-Match), or null to overwrite
	 * @throws UnknownProductException when there is no such product
	 * @throws StaleProductVersionException when the product is no longer at {@code expectedVersion}
	 * @throws DuplicateSkuException when another product has the new sku
	 */
	@CacheEvict(cacheNames = CACHE, key = "#id")
	public Product update(UUID id, ProductDetails details, Long expectedVersion) {
		Optional<Product> updated;
		try {
			updated = this.repository.update(id, details, expectedVersion);
		}
		catch (DuplicateKeyException ex) {
			throw duplicateSku(details, ex);
		}
		return updated.orElseThrow(() -> {
			if (expectedVersion != null && this.repository.findById(id).isPresent()) {
				return new StaleProductVersionException(id, expectedVersion);
			}
			return new UnknownProductException(id);
		});
	}

	/** @throws UnknownProductException when there is no such product */
	@CacheEvict(cacheNames = CACHE, key = "#id")
	public void delete(UUID id) {
		if (!this.repository.delete(id)) {
			throw new UnknownProductException(id);
		}
	}

	private static DuplicateSkuException duplicateSku(ProductDetails details, Throwable cause) {
		return new DuplicateSkuException(details.sku(), cause);
	}

}

package com.example.shop.product.cache;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cache.Cache;
import org.springframework.cache.interceptor.CacheErrorHandler;

/**
 * The cache is an optimisation, never a dependency: when Redis cannot be reached (or an entry cannot be
 * read), the failure is logged and the call goes on as a cache miss, i.e. to PostgreSQL. Failed evictions are
 * logged as errors, since they may leave a stale entry until its TTL expires.
 */
class FailOpenCacheErrorHandler implements CacheErrorHandler {

	private static final Logger log = LoggerFactory.getLogger(FailOpenCacheErrorHandler.class);

	@Override
	public void handleCacheGetError(RuntimeException exception, Cache cache, Object key) {
		log.warn("Cache '{}' read of {} failed, reading the database instead: {}", cache.getName(), key,
				exception.toString());
		log.debug("Cache read failure", exception);
	}

	@Override
	public void handleCachePutError(RuntimeException exception, Cache cache, Object key, Object value) {
		log.warn("Cache '{}' write of {} failed: {}", cache.getName(), key, exception.toString());
		log.debug("Cache write failure", exception);
	}

	@Override
	public void handleCacheEvictError(RuntimeException exception, Cache cache, Object key) {
		log.error("Cache '{}' eviction of {} failed; the entry may be stale until it expires: {}", cache.getName(),
				key, exception.toString());
	}

	@Override
	public void handleCacheClearError(RuntimeException exception, Cache cache) {
		log.error("Cache '{}' clear failed; entries may be stale until they expire: {}", cache.getName(),
				exception.toString());
	}

}

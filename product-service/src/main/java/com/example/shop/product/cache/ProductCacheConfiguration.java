package com.example.shop.product.cache;

import com.example.shop.product.catalog.Product;
import com.example.shop.product.catalog.ProductCatalog;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.cache.autoconfigure.RedisCacheManagerBuilderCustomizer;
import org.springframework.cache.annotation.CachingConfigurer;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.interceptor.CacheErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.serializer.JacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializationContext.SerializationPair;

/**
 * The product read cache lives in Redis, not in the JVM: with two or more replicas, a per-JVM cache would
 * keep serving a product another replica has just changed; a shared cache is evicted once for all.
 * TTL, key prefix and timeouts are in application.yml.
 */
@Configuration
@EnableCaching
public class ProductCacheConfiguration implements CachingConfigurer {

	/** Cache failures (Redis down, an entry that no longer deserializes) never fail a request. */
	@Bean
	@Override
	public CacheErrorHandler errorHandler() {
		return new FailOpenCacheErrorHandler();
	}

	/**
	 * Products are stored as plain JSON of the {@link Product} record, typed on read: no Java serialization
	 * (brittle across versions) and no polymorphic type ids in the payload (nothing in Redis can make the
	 * service instantiate another class). Uses the application's Jackson 3 mapper, so ISO-8601 instants and
	 * exact decimals round-trip.
	 */
	@Bean
	RedisCacheManagerBuilderCustomizer productsCacheAsJson(JsonMapper jsonMapper) {
		return (builder) -> builder.withCacheConfiguration(ProductCatalog.CACHE,
				builder.cacheDefaults()
					.serializeValuesWith(
							SerializationPair.fromSerializer(new JacksonJsonRedisSerializer<>(jsonMapper, Product.class))));
	}

}

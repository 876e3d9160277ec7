package com.example.shop.product.cache;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import com.example.shop.product.catalog.Product;
import com.example.shop.product.catalog.ProductCatalog;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.TestTokens;
import com.example.shop.testsupport.UsesInfrastructure;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared Redis read cache: really used, evicted by writes, and its JSON round-trips. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.REDIS, Infrastructure.KAFKA, Infrastructure.TOKENS })
class ProductCacheTests {

	static final String CAST_IRON_SKILLET = "00000000-0000-4000-8000-000000000017";

	@Autowired
	RestTestClient client;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	RedisCacheManager cacheManager;

	@Autowired
	ProductCatalog catalog;

	@Value("${spring.cache.redis.key-prefix}")
	String keyPrefix;

	@Test
	void readIsCachedInRedisAndAnUpdateEvictsIt() {
		String key = this.keyPrefix + ProductCatalog.CACHE + "::" + CAST_IRON_SKILLET;
		this.redis.delete(key);
		readName().isEqualTo("Cast Iron Skillet 26 cm");
		assertThat(this.redis.hasKey(key)).as("entry in the shared cache").isTrue();

		// A change behind the service's back is not seen: the read is served from the cache ...
		this.jdbc.sql("UPDATE product SET name = 'Changed in the database' WHERE id = :id")
			.param("id", UUID.fromString(CAST_IRON_SKILLET))
			.update();
		readName().isEqualTo("Cast Iron Skillet 26 cm");

		// ... while an update through the service evicts the entry, so the next read has the new value.
		this.client.put()
			.uri("/api/products/{id}", CAST_IRON_SKILLET)
			.headers(headers -> headers.setBearerAuth(TestTokens.issuer().admin()))
			.contentType(MediaType.APPLICATION_JSON)
			.body("""
					{"sku": "KITC-0001", "name": "Cast Iron Skillet 28 cm", "category": "kitchen", "price": 44.95,
					 "currency": "EUR"}""")
			.exchange()
			.expectStatus()
			.isOk();
		assertThat(this.redis.hasKey(key)).as("evicted by the update").isFalse();
		readName().isEqualTo("Cast Iron Skillet 28 cm");
		this.client.get()
			.uri("/api/products/{id}", CAST_IRON_SKILLET)
			.exchange()
			.expectBody()
			.jsonPath("$.price")
			.isEqualTo(44.95);
	}

	@Test
	void batchReadFillsTheCachePerId() {
		UUID first = UUID.fromString("00000000-0000-4000-8000-000000000020");
		UUID second = UUID.fromString("00000000-0000-4000-8000-000000000021");
		this.redis.delete(this.keyPrefix + ProductCatalog.CACHE + "::" + first);
		this.redis.delete(this.keyPrefix + ProductCatalog.CACHE + "::" + second);
		assertThat(this.catalog.findAll(java.util.List.of(first, second))).extracting(Product::id)
			.containsExactlyInAnyOrder(first, second);
		assertThat(this.redis.hasKey(this.keyPrefix + ProductCatalog.CACHE + "::" + first)).isTrue();
		assertThat(this.redis.hasKey(this.keyPrefix + ProductCatalog.CACHE + "::" + second)).isTrue();
		// served from the cache now, so an out-of-band change is not visible
		this.jdbc.sql("UPDATE product SET name = 'Changed' WHERE id = :id").param("id", first).update();
		assertThat(this.catalog.findAll(java.util.List.of(first))).extracting(Product::name)
			.containsExactly("Bamboo Cutting Board Set");
	}

	@Test
	void entriesExpire() {
		String key = this.keyPrefix + ProductCatalog.CACHE + "::" + "00000000-0000-4000-8000-000000000030";
		this.client.get().uri("/api/products/00000000-0000-4000-8000-000000000030").exchange().expectStatus().isOk();
		assertThat(this.redis.getExpire(key)).isBetween(1L, 600L);
	}

	@Test
	void cachedJsonRoundTripsTheRecordExactly() {
		RedisCacheConfiguration configuration = this.cacheManager.getCacheConfigurations().get(ProductCatalog.CACHE);
		Product product = new Product(UUID.randomUUID(), "RT-0001", "Round \"trip\" ünïcode", "", "toys",
				new BigDecimal("1234.50"), "EUR", false, 7, Instant.now().truncatedTo(ChronoUnit.MICROS),
				Instant.parse("2026-01-01T00:00:00.123456Z"));
		ByteBuffer stored = configuration.getValueSerializationPair().write(product);
		String json = java.nio.charset.StandardCharsets.UTF_8.decode(stored.duplicate()).toString();
		assertThat(json).contains("\"price\":1234.50").doesNotContain("@class");
		Object read = configuration.getValueSerializationPair().read(stored);
		assertThat(read).isEqualTo(product);
		assertThat(((Product) read).price().scale()).isEqualTo(2);
	}

	private org.springframework.test.web.servlet.client.JsonPathAssertions readName() {
		return this.client.get()
			.uri("/api/products/{id}", CAST_IRON_SKILLET)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.name");
	}

}

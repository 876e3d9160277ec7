package com.example.shop.product.cache;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.example.shop.product.catalog.Product;
import com.example.shop.product.catalog.ProductCatalog;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.TestTokens;
import com.example.shop.testsupport.UsesInfrastructure;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis is unreachable (the cache points at a port nobody listens on): reads and writes must still work,
 * straight from PostgreSQL, and fast.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA, Infrastructure.TOKENS })
class RedisOutageTests {

	static final String WOOL_BEANIE = "00000000-0000-4000-8000-000000000047";

	@DynamicPropertySource
	static void deadRedis(DynamicPropertyRegistry registry) throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		// Closed again: connections to it are refused, like a Redis that is down.
		int deadPort = port;
		registry.add("spring.data.redis.host", () -> "127.0.0.1");
		registry.add("spring.data.redis.port", () -> deadPort);
	}

	@Autowired
	RestTestClient client;

	@Autowired
	ProductCatalog catalog;

	@Test
	void readsAndWritesFallThroughToTheDatabase() {
		long start = System.nanoTime();
		this.client.get()
			.uri("/api/products/{id}", WOOL_BEANIE)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.name")
			.isEqualTo("Wool Beanie");

		this.client.put()
			.uri("/api/products/{id}", WOOL_BEANIE)
			.headers(headers -> headers.setBearerAuth(TestTokens.issuer().admin()))
			.contentType(MediaType.APPLICATION_JSON)
			.body("""
					{"sku": "APRL-0007", "name": "Wool Beanie, Navy", "category": "apparel", "price": 21.00,
					 "currency": "EUR"}""")
			.exchange()
			.expectStatus()
			.isOk();
		this.client.get()
			.uri("/api/products/{id}", WOOL_BEANIE)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.name")
			.isEqualTo("Wool Beanie, Navy");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
	}

	@Test
	void batchReadFallsThroughToTheDatabase() {
		UUID beanie = UUID.fromString(WOOL_BEANIE);
		UUID shoes = UUID.fromString("00000000-0000-4000-8000-000000000048");
		assertThat(this.catalog.findAll(List.of(beanie, shoes, UUID.randomUUID()))).extracting(Product::id)
			.containsExactlyInAnyOrder(beanie, shoes);
	}

	@Test
	void searchDoesNotNeedRedisAtAll() {
		this.client.get().uri("/api/products?category=apparel").exchange().expectStatus().isOk()
			.expectBody().jsonPath("$.page.totalElements").isEqualTo(8);
	}

}

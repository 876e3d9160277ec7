package com.example.shop.order.discovery;

import com.example.shop.order.support.Callers;
import com.example.shop.order.support.GrpcPeers;
import com.example.shop.order.support.OrderRequests;
import com.example.shop.order.support.OrderServiceTest;
import com.example.shop.order.support.TestCatalogServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application's own channel to product-service with its production target {@code discovery:///product-service}:
 * Spring gRPC's channel factory, the name-resolver arguments of {@link com.example.shop.grpc.discovery.DiscoveryChannelAutoConfiguration} and Spring
 * Cloud's discovery (here its property-backed client, standing in for Eureka) spread the orders' catalog calls
 * over both registered replicas.
 */
@OrderServiceTest
class DiscoveryChannelWiringTests {

	static final TestCatalogServer replica = TestCatalogServer.start();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		GrpcPeers.register(registry);
		registry.add("spring.grpc.client.channels.product-service.address", () -> "discovery:///product-service");
		String instances = "spring.cloud.discovery.client.simple.instances.product-service";
		registry.add(instances + "[0].uri", () -> "http://127.0.0.1:8081");
		registry.add(instances + "[0].metadata.grpc-port", () -> GrpcPeers.catalog().port());
		registry.add(instances + "[1].uri", () -> "http://127.0.0.1:8091");
		registry.add(instances + "[1].metadata.grpc-port", replica::port);
		registry.add("shop.messaging.outbox.relay-enabled", () -> false);
	}

	@AfterAll
	static void stopReplica() throws InterruptedException {
		replica.close();
	}

	@Autowired
	RestTestClient client;

	@BeforeEach
	void reset() {
		GrpcPeers.reset();
		replica.reset();
	}

	@Test
	void ordersArePricedByEveryRegisteredReplica() {
		for (int i = 0; i < 10; i++) {
			String customer = OrderRequests.newCustomer();
			this.client.post()
				.uri("/api/orders")
				.headers(Callers.customer(customer))
				.contentType(MediaType.APPLICATION_JSON)
				.body(OrderRequests.order(customer, "tok_ok", TestCatalogServer.BOOK, 1))
				.exchange()
				.expectStatus()
				.isAccepted();
		}
		assertThat(GrpcPeers.catalog().calls() + replica.calls()).isEqualTo(10);
		assertThat(GrpcPeers.catalog().calls()).isPositive();
		assertThat(replica.calls()).isPositive();
	}

}

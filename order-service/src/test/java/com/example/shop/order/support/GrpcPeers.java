package com.example.shop.order.support;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The stand-ins for product-service and inventory-service, started once per test JVM and shared by the test
 * classes (which run one after the other and {@link #reset()} them before each test).
 */
public final class GrpcPeers {

	private static TestCatalogServer catalog;

	private static TestInventoryServer inventory;

	private GrpcPeers() {
	}

	public static synchronized TestCatalogServer catalog() {
		if (catalog == null) {
			catalog = TestCatalogServer.start();
		}
		return catalog;
	}

	public static synchronized TestInventoryServer inventory() {
		if (inventory == null) {
			inventory = TestInventoryServer.start();
		}
		return inventory;
	}

	/** Points the application's channels at the stand-ins. */
	public static void register(DynamicPropertyRegistry registry) {
		registry.add("spring.grpc.client.channels.product-service.address", () -> catalog().address());
		registry.add("spring.grpc.client.channels.inventory-service.address", () -> inventory().address());
	}

	public static void reset() {
		catalog().reset();
		inventory().reset();
	}

}

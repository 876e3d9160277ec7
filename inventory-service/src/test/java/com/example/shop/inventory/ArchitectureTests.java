package com.example.shop.inventory;

import com.example.shop.testsupport.architecture.ArchitectureRules;
import com.example.shop.testsupport.architecture.ServiceLayout;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * inventory-service's layering (libs/test-support's {@link ArchitectureRules}). The edges: REST ({@code api}), the
 * gRPC server ({@code grpc}), Kafka and the outbox ({@code messaging}), and the gRPC client of product-service's
 * catalog ({@code catalog.client}); stock, reservations and the catalog port are the core.
 */
@AnalyzeClasses(packages = "com.example.shop.inventory", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	static final ServiceLayout INVENTORY = ServiceLayout.of("com.example.shop.inventory")
		.edgePackages("api", "grpc", "messaging", "catalog.client");

	@ArchTest
	static final ArchRule coreSpeaksNoTransport = ArchitectureRules.coreSpeaksNoTransport(INVENTORY);

	@ArchTest
	static final ArchRule usesNoOtherService = ArchitectureRules.usesNoOtherService(INVENTORY);

	@ArchTest
	static final ArchRule capabilitiesAreFreeOfCycles = ArchitectureRules.capabilitiesAreFreeOfCycles(INVENTORY);

	@ArchTest
	static final ArchRule coreUsesNoEdge = ArchitectureRules.coreUsesNoEdge(INVENTORY);

	@ArchTest
	static final ArchRule timeComesFromTheClockBean = ArchitectureRules.timeComesFromTheClockBean(INVENTORY);

}

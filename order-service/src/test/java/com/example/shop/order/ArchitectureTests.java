package com.example.shop.order;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import com.example.shop.testsupport.architecture.ArchitectureRules;
import com.example.shop.testsupport.architecture.ServiceLayout;

/**
 * order-service's layering (libs/test-support's {@link ArchitectureRules}). The edges: REST ({@code api}), Kafka,
 * RabbitMQ and the outbox ({@code messaging}), the gRPC clients of the catalog and of inventory ({@code catalog},
 * {@code inventory}: adapters of the ports {@code ProductCatalog} and {@code StockAvailability}), and the discovery
 * registration ({@code discovery}); the orders (the base package's own classes), their saga ({@code saga}, with its
 * table of steps) and the idempotency keys are the core.
 */
@AnalyzeClasses(packages = "com.example.shop.order", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	static final ServiceLayout ORDER = ServiceLayout.of("com.example.shop.order")
		.edgePackages("api", "messaging", "catalog", "inventory", "discovery");

	@ArchTest
	static final ArchRule coreSpeaksNoTransport = ArchitectureRules.coreSpeaksNoTransport(ORDER);

	@ArchTest
	static final ArchRule usesNoOtherService = ArchitectureRules.usesNoOtherService(ORDER);

	@ArchTest
	static final ArchRule capabilitiesAreFreeOfCycles = ArchitectureRules.capabilitiesAreFreeOfCycles(ORDER);

	@ArchTest
	static final ArchRule coreUsesNoEdge = ArchitectureRules.coreUsesNoEdge(ORDER);

	@ArchTest
	static final ArchRule timeComesFromTheClockBean = ArchitectureRules.timeComesFromTheClockBean(ORDER);

}

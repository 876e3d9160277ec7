package com.example.shop.product;

import com.example.shop.testsupport.architecture.ArchitectureRules;
import com.example.shop.testsupport.architecture.ServiceLayout;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * product-service's layering (libs/test-support's {@link ArchitectureRules}). The edges: REST ({@code api}), the
 * gRPC server ({@code grpc}) and the Kafka listener of inventory's stock changes ({@code messaging}); the catalog,
 * its cache and the availability flag are the core.
 */
@AnalyzeClasses(packages = "com.example.shop.product", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	static final ServiceLayout PRODUCT = ServiceLayout.of("com.example.shop.product")
		.edgePackages("api", "grpc", "messaging");

	@ArchTest
	static final ArchRule coreSpeaksNoTransport = ArchitectureRules.coreSpeaksNoTransport(PRODUCT);

	@ArchTest
	static final ArchRule usesNoOtherService = ArchitectureRules.usesNoOtherService(PRODUCT);

	@ArchTest
	static final ArchRule capabilitiesAreFreeOfCycles = ArchitectureRules.capabilitiesAreFreeOfCycles(PRODUCT);

	@ArchTest
	static final ArchRule coreUsesNoEdge = ArchitectureRules.coreUsesNoEdge(PRODUCT);

	@ArchTest
	static final ArchRule timeComesFromTheClockBean = ArchitectureRules.timeComesFromTheClockBean(PRODUCT);

}

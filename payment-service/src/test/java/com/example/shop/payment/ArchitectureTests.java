package com.example.shop.payment;

import com.example.shop.testsupport.architecture.ArchitectureRules;
import com.example.shop.testsupport.architecture.ServiceLayout;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * payment-service's layering (libs/test-support's {@link ArchitectureRules}). The edges: REST ({@code api}) and the
 * saga's commands over RabbitMQ with their replies through the outbox ({@code messaging}); payments (the base
 * package's own classes) and the provider (its port, the client that keeps its deadline, the built-in simulator) are
 * the core.
 */
@AnalyzeClasses(packages = "com.example.shop.payment", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	static final ServiceLayout PAYMENT = ServiceLayout.of("com.example.shop.payment")
		.edgePackages("api", "messaging");

	@ArchTest
	static final ArchRule coreSpeaksNoTransport = ArchitectureRules.coreSpeaksNoTransport(PAYMENT);

	@ArchTest
	static final ArchRule usesNoOtherService = ArchitectureRules.usesNoOtherService(PAYMENT);

	@ArchTest
	static final ArchRule capabilitiesAreFreeOfCycles = ArchitectureRules.capabilitiesAreFreeOfCycles(PAYMENT);

	@ArchTest
	static final ArchRule coreUsesNoEdge = ArchitectureRules.coreUsesNoEdge(PAYMENT);

	@ArchTest
	static final ArchRule timeComesFromTheClockBean = ArchitectureRules.timeComesFromTheClockBean(PAYMENT);

}

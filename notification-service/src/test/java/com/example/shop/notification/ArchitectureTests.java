package com.example.shop.notification;

import com.example.shop.testsupport.architecture.ArchitectureRules;
import com.example.shop.testsupport.architecture.ServiceLayout;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * notification-service's layering (libs/test-support's {@link ArchitectureRules}). The edges: REST ({@code api}), the
 * live status WebSocket ({@code web}), Kafka and RabbitMQ listeners ({@code messaging}), and the REST client of
 * order-service ({@code live.client}); notifications (the base package's own classes), email delivery, the order
 * events' emails and the live status (its projection, who may watch, the order-service port) are the core.
 */
@AnalyzeClasses(packages = "com.example.shop.notification", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	static final ServiceLayout NOTIFICATION = ServiceLayout.of("com.example.shop.notification")
		.edgePackages("api", "web", "messaging", "live.client");

	@ArchTest
	static final ArchRule coreSpeaksNoTransport = ArchitectureRules.coreSpeaksNoTransport(NOTIFICATION);

	@ArchTest
	static final ArchRule usesNoOtherService = ArchitectureRules.usesNoOtherService(NOTIFICATION);

	@ArchTest
	static final ArchRule capabilitiesAreFreeOfCycles = ArchitectureRules.capabilitiesAreFreeOfCycles(NOTIFICATION);

	@ArchTest
	static final ArchRule coreUsesNoEdge = ArchitectureRules.coreUsesNoEdge(NOTIFICATION);

	@ArchTest
	static final ArchRule timeComesFromTheClockBean = ArchitectureRules.timeComesFromTheClockBean(NOTIFICATION);

}

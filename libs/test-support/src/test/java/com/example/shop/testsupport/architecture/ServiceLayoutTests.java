package com.example.shop.testsupport.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service whose domain model sits in its base package (as order-service's {@code Order}): the rules check the base
 * package's own classes as the core and as a capability, and leave its application class out. The sample services
 * are under {@code com.example.samples}, out of reach of this module's component scans.
 */
class ServiceLayoutTests {

	@Test
	void domainModelInTheBasePackageIsTheCoreAndTheApplicationClassIsNot() {
		ServiceLayout layout = ServiceLayout.of("com.example.samples.shipping").edgePackages("api");
		JavaClasses classes = importPackage("com.example.samples.shipping");

		assertThat(layout.core().test(classes.get("com.example.samples.shipping.Shipment"))).isTrue();
		assertThat(layout.core().test(classes.get("com.example.samples.shipping.tracking.TrackingNumber"))).isTrue();
		assertThat(layout.core().test(classes.get("com.example.samples.shipping.ShippingApplication"))).isFalse();
		assertThat(layout.edge().test(classes.get("com.example.samples.shipping.ShippingApplication"))).isFalse();
		assertThat(layout.edge().test(classes.get("com.example.samples.shipping.api.ShipmentController"))).isTrue();
	}

	@Test
	void applicationClassMayNameTheEdgeAndTheDomainModelDependsOnCapabilitiesOneWay() {
		ServiceLayout layout = ServiceLayout.of("com.example.samples.shipping").edgePackages("api");
		JavaClasses classes = importPackage("com.example.samples.shipping");

		assertThat(ArchitectureRules.coreUsesNoEdge(layout).evaluate(classes).hasViolation()).isFalse();
		assertThat(ArchitectureRules.capabilitiesAreFreeOfCycles(layout).evaluate(classes).hasViolation()).isFalse();
	}

	@Test
	void domainModelInTheBasePackageMayNotUseTheEdge() {
		ServiceLayout layout = ServiceLayout.of("com.example.samples.leakyshipping").edgePackages("api");

		EvaluationResult result = ArchitectureRules.coreUsesNoEdge(layout)
			.evaluate(importPackage("com.example.samples.leakyshipping"));

		assertThat(result.hasViolation()).isTrue();
		assertThat(result.getFailureReport().getDetails()).isNotEmpty()
			.allMatch((line) -> line.contains("com.example.samples.leakyshipping.Shipment"))
			.anyMatch((line) -> line.contains("com.example.samples.leakyshipping.api.ShipmentView"));
	}

	@Test
	void cycleBetweenTheBasePackageAndACapabilityIsFound() {
		ServiceLayout layout = ServiceLayout.of("com.example.samples.cyclicshipping");

		EvaluationResult result = ArchitectureRules.capabilitiesAreFreeOfCycles(layout)
			.evaluate(importPackage("com.example.samples.cyclicshipping"));

		assertThat(result.hasViolation()).isTrue();
		assertThat(String.join("\n", result.getFailureReport().getDetails()))
			.contains("com.example.samples.cyclicshipping.Shipment")
			.contains("com.example.samples.cyclicshipping.tracking.Tracker");
	}

	private static JavaClasses importPackage(String name) {
		return new ClassFileImporter().importPackages(name);
	}

}

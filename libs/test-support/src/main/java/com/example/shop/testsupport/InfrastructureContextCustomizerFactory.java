package com.example.shop.testsupport;

import java.util.EnumSet;
import java.util.List;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/** Turns {@link UsesInfrastructure} on a test class into an {@link InfrastructureContextCustomizer}. */
class InfrastructureContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		UsesInfrastructure uses = TestContextAnnotationUtils.findMergedAnnotation(testClass, UsesInfrastructure.class);
		if (uses == null) {
			return null;
		}
		return new InfrastructureContextCustomizer(outermost(testClass), EnumSet.copyOf(List.of(uses.value())));
	}

	/** {@code @Nested} classes share the slice of the class they are nested in. */
	private static Class<?> outermost(Class<?> testClass) {
		Class<?> owner = testClass;
		while (owner.getEnclosingClass() != null && TestContextAnnotationUtils.searchEnclosingClass(owner)) {
			owner = owner.getEnclosingClass();
		}
		return owner;
	}

}

package com.example.shop.gateway.protection;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.handler.AbstractHandlerMapping;

/**
 * Sets {@link ProblemCorsProcessor} on every WebFlux handler mapping. The one that matters is Spring
 * Cloud Gateway's {@code RoutePredicateHandlerMapping}, which applies
 * {@code spring.cloud.gateway.server.webflux.globalcors} to the routes; the others (the fallback
 * controller, the actuator) get it so no CORS refusal anywhere is an empty 403.
 */
@Component
public class CorsProcessorInstaller implements BeanPostProcessor {

	private final ProblemCorsProcessor processor = new ProblemCorsProcessor();

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof AbstractHandlerMapping mapping) {
			mapping.setCorsProcessor(processor);
		}
		return bean;
	}

}

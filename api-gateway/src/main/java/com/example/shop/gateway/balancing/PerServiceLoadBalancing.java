package com.example.shop.gateway.balancing;

import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Applied in each service's own load-balancer context (Spring Cloud creates one per service id), so it is not
 * a {@code @Configuration} of the application: the discovery client's instances, cached for
 * {@code spring.cloud.loadbalancer.cache.ttl} (Spring Cloud's default list), then {@link AvoidTriedInstances}.
 */
class PerServiceLoadBalancing {

	@Bean
	ServiceInstanceListSupplier avoidTriedInstancesSupplier(ConfigurableApplicationContext context) {
		return ServiceInstanceListSupplier.builder()
			.withDiscoveryClient()
			.withCaching()
			.with((ignored, delegate) -> new AvoidTriedInstances(delegate))
			.build(context);
	}

}

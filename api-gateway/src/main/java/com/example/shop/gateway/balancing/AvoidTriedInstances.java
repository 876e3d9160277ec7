package com.example.shop.gateway.balancing;

import java.util.List;
import java.util.Set;

import reactor.core.publisher.Flux;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.loadbalancer.core.DelegatingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/**
 * The instances of a service minus those this request was already sent to ({@link TriedInstances}), unless
 * that leaves none. So the retry of a refused connection or of a 503 goes to another replica whenever there is
 * one, instead of wherever the shared round robin happens to point.
 */
class AvoidTriedInstances extends DelegatingServiceInstanceListSupplier {

	AvoidTriedInstances(ServiceInstanceListSupplier delegate) {
		super(delegate);
	}

	@Override
	public Flux<List<ServiceInstance>> get() {
		return this.delegate.get();
	}

	@Override
	public Flux<List<ServiceInstance>> get(Request request) {
		Set<?> tried = tried(request);
		if (tried == null || tried.isEmpty()) {
			return this.delegate.get(request);
		}
		return this.delegate.get(request).map((instances) -> {
			List<ServiceInstance> untried = instances.stream()
				.filter((instance) -> !tried.contains(TriedInstances.key(instance)))
				.toList();
			return untried.isEmpty() ? instances : untried;
		});
	}

	private static Set<?> tried(Request request) {
		if (request != null && request.getContext() instanceof RequestDataContext context
				&& context.getClientRequest() != null
				&& context.getClientRequest().getAttributes().get(TriedInstances.ATTRIBUTE) instanceof Set<?> tried) {
			return tried;
		}
		return null;
	}

}

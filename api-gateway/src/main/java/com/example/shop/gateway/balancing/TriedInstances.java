package com.example.shop.gateway.balancing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * Remembers, per request, every instance the load balancer sent an attempt to, so that a retried attempt
 * goes to another one ({@link AvoidTriedInstances}). Spring Cloud Gateway's load balancer does not do this
 * itself: its round robin is shared by all requests, so under concurrent traffic one request's retries can
 * land on the same stopped replica again and again while other requests move the counter.
 */
@Component
public class TriedInstances implements GlobalFilter, Ordered {

	/** Exchange attribute: the set of {@link #key}s of the instances this request was sent to. */
	static final String ATTRIBUTE = TriedInstances.class.getName() + ".tried";

	@Override
	public int getOrder() {
		// Right after the load balancer chose, before the request is sent.
		return ReactiveLoadBalancerClientFilter.LOAD_BALANCER_CLIENT_FILTER_ORDER + 1;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		Response<ServiceInstance> chosen = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR);
		if (chosen != null && chosen.hasServer()) {
			Set<String> tried = exchange.getAttributes().containsKey(ATTRIBUTE) ? exchange.getAttribute(ATTRIBUTE)
					: ConcurrentHashMap.newKeySet();
			tried.add(key(chosen.getServer()));
			exchange.getAttributes().put(ATTRIBUTE, tried);
		}
		return chain.filter(exchange);
	}

	static String key(ServiceInstance instance) {
		return instance.getHost() + ":" + instance.getPort();
	}

}

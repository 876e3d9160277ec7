package com.example.shop.inventory.catalog.client;

import com.example.shop.inventory.catalog.ProductCatalog;
import com.example.shop.proto.catalog.v1.CatalogServiceGrpc;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.GrpcChannelFactory;

/**
 * The gRPC channel to product-service ({@code spring.grpc.client.channels.product-service}: target and
 * deadline) and the {@link ProductCatalog} on it, with its Resilience4j instances named "catalog".
 */
@Configuration(proxyBeanMethods = false)
class CatalogClientConfiguration {

	static final String CHANNEL = "product-service";

	static final String RESILIENCE_INSTANCE = "catalog";

	@Bean
	ProductCatalog productCatalog(GrpcChannelFactory channels, CircuitBreakerRegistry circuitBreakers,
			RetryRegistry retries) {
		return new GrpcProductCatalog(CatalogServiceGrpc.newBlockingStub(channels.createChannel(CHANNEL)),
				circuitBreakers.circuitBreaker(RESILIENCE_INSTANCE), retries.retry(RESILIENCE_INSTANCE));
	}

}

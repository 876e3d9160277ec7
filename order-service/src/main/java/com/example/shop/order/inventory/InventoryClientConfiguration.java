package com.example.shop.order.inventory;

import com.example.shop.proto.inventory.v1.InventoryServiceGrpc;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.GrpcChannelFactory;

/**
 * The gRPC channel to inventory-service ({@code spring.grpc.client.channels.inventory-service}: target and
 * deadline) and the availability client with its Resilience4j instances named "inventory".
 */
@Configuration(proxyBeanMethods = false)
class InventoryClientConfiguration {

	static final String CHANNEL = "inventory-service";

	static final String RESILIENCE_INSTANCE = "inventory";

	@Bean
	StockAvailabilityClient stockAvailabilityClient(GrpcChannelFactory channels,
			CircuitBreakerRegistry circuitBreakers, BulkheadRegistry bulkheads, MeterRegistry registry) {
		return new StockAvailabilityClient(InventoryServiceGrpc.newBlockingStub(channels.createChannel(CHANNEL)),
				circuitBreakers.circuitBreaker(RESILIENCE_INSTANCE), bulkheads.bulkhead(RESILIENCE_INSTANCE), registry);
	}

}

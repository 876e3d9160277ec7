package com.example.shop.order.discovery;

import java.time.Duration;

import io.grpc.ManagedChannelBuilder;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.GrpcChannelBuilderCustomizer;

/**
 * Gives every channel of Spring gRPC's {@code GrpcChannelFactory} this application's {@link DiscoveryClient},
 * so targets {@code discovery:///<service-id>} resolve through it ({@link DiscoveryNameResolverProvider}).
 * Channels with other targets ({@code static://host:port} in tests) ignore the arguments.
 */
@Configuration(proxyBeanMethods = false)
class DiscoveryChannelConfiguration {

	@Bean
	<T extends ManagedChannelBuilder<T>> GrpcChannelBuilderCustomizer<T> discoveryNameResolverArguments(
			DiscoveryClient discovery,
			@Value("${shop.orders.grpc.discovery-refresh-interval:5s}") Duration refreshInterval) {
		return (target, builder) -> builder.setNameResolverArg(DiscoveryNameResolverProvider.DISCOVERY_CLIENT, discovery)
			.setNameResolverArg(DiscoveryNameResolverProvider.REFRESH_INTERVAL, refreshInterval);
	}

}

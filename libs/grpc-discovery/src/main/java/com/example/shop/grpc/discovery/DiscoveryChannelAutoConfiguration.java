package com.example.shop.grpc.discovery;

import java.time.Duration;

import io.grpc.ManagedChannelBuilder;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.annotation.Bean;
import org.springframework.grpc.client.GrpcChannelBuilderCustomizer;

/**
 * Gives every channel of Spring gRPC's {@code GrpcChannelFactory} this application's {@link DiscoveryClient},
 * so targets {@code discovery:///<service-id>} resolve through it ({@link DiscoveryNameResolverProvider}).
 * Channels with other targets ({@code static://host:port} in tests, {@code dns:///} in Kubernetes) ignore the
 * arguments. Adding the library to a service that has Spring gRPC's client and a discovery client is all it
 * takes.
 */
@AutoConfiguration
@ConditionalOnClass(GrpcChannelBuilderCustomizer.class)
public class DiscoveryChannelAutoConfiguration {

	@Bean
	<T extends ManagedChannelBuilder<T>> GrpcChannelBuilderCustomizer<T> discoveryNameResolverArguments(
			DiscoveryClient discovery,
			// How often a channel reads the instance list again (also at once after a connection failed).
			@Value("${shop.grpc.discovery-refresh-interval:5s}") Duration refreshInterval) {
		return (target, builder) -> builder.setNameResolverArg(DiscoveryNameResolverProvider.DISCOVERY_CLIENT, discovery)
			.setNameResolverArg(DiscoveryNameResolverProvider.REFRESH_INTERVAL, refreshInterval);
	}

}

package com.example.shop.security.grpc;

import io.grpc.BindableService;
import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import io.grpc.ServerInterceptor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.GlobalClientInterceptor;
import org.springframework.grpc.server.GlobalServerInterceptor;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import com.example.shop.security.ResourceServerAutoConfiguration;
import com.example.shop.security.ServiceTokens;
import com.example.shop.security.ServiceTokensAutoConfiguration;

/**
 * Tokens on gRPC between services, both ends, the same way in every service:
 * <ul>
 * <li>a service that serves gRPC checks every call's token and scope ({@link GrpcTokenCheck}) against its
 * {@link GrpcAccessRules}; without rules, every call but health is refused (a gRPC service is closed until someone
 * decides who may call it);</li>
 * <li>a service with {@link ServiceTokens} (a client registration {@code shop}) sends its token on every gRPC call it
 * makes ({@link ServiceTokenCallCredentials}), on every channel of Spring gRPC's channel factory.</li>
 * </ul>
 * Spring gRPC's own resource-server auto-configuration is not used: it would also demand a token from health checks
 * and answer its refusals through the service's exception handler (INTERNAL); services exclude it.
 */
@AutoConfiguration(after = { ResourceServerAutoConfiguration.class, ServiceTokensAutoConfiguration.class })
@ConditionalOnClass({ ServerInterceptor.class, GlobalServerInterceptor.class })
public class GrpcSecurityAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean({ BindableService.class, JwtDecoder.class })
	static class TokenCheckOnTheServer {

		@Bean
		@GlobalServerInterceptor
		GrpcTokenCheck grpcTokenCheck(JwtDecoder decoder, ObjectProvider<GrpcAccessRules> rules) {
			return new GrpcTokenCheck(decoder, rules.getIfAvailable(() -> GrpcAccessRules.builder().build()));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(ServiceTokens.class)
	static class ServiceTokenOnTheClient {

		@Bean
		@GlobalClientInterceptor
		ClientInterceptor serviceTokenOnGrpcCalls(ServiceTokens tokens) {
			CallCredentials credentials = new ServiceTokenCallCredentials(tokens);
			return new ClientInterceptor() {
				@Override
				public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
						Channel next) {
					return next.newCall(method, options.withCallCredentials(credentials));
				}
			};
		}

	}

}

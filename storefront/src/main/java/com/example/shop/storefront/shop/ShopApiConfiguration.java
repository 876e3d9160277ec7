package com.example.shop.storefront.shop;

import java.net.http.HttpClient;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import com.example.shop.security.ServiceTokens;
import com.example.shop.storefront.security.UserTokens;

/**
 * The client of the gateway: Boot's {@link RestClient.Builder} (so every call is timed in
 * {@code http.client.requests} and carries the trace context: the browser's request continues into the saga's
 * trace), the JDK's HTTP client with a connect and a read deadline, and the circuit breaker "gateway".
 */
@Configuration(proxyBeanMethods = false)
class ShopApiConfiguration {

	@Bean
	ShopApi shopApi(RestClient.Builder builder, GatewayProperties gateway, UserTokens tokens,
			ObjectProvider<ServiceTokens> serviceTokens, CircuitBreakerRegistry breakers, JsonMapper json) {
		HttpClient http = HttpClient.newBuilder().connectTimeout(gateway.connectTimeout()).build();
		JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(http);
		requests.setReadTimeout(gateway.readTimeout());
		return new ShopApi(builder.requestFactory(requests), gateway, tokens, serviceTokens.getIfAvailable(),
				breakers.circuitBreaker("gateway"), json);
	}

}

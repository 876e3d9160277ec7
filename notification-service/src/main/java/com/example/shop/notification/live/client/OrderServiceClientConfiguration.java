package com.example.shop.notification.live.client;

import java.net.http.HttpClient;

import com.example.shop.notification.live.LiveStatusProperties;
import com.example.shop.notification.live.OrderDirectory;
import com.example.shop.security.ServiceTokens;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * The client of order-service for the live status fallback: a {@link LoadBalanced} RestClient (Eureka picks an
 * instance of {@code order-service}) with connect and response deadlines, this service's own bearer token on every
 * call ({@link ServiceTokens}, client credentials with scope {@code orders.read}), the Resilience4j circuit breaker
 * "order-service" (application.yml), metrics and trace propagation; with the mtls profile, over TLS with this
 * service's certificate (the SSL bundle of {@code shop.notification.live.order-service.ssl-bundle}).
 */
@Configuration(proxyBeanMethods = false)
public class OrderServiceClientConfiguration {

	public static final String BREAKER = "order-service";

	/**
	 * Not a default candidate: a RestClient.Builder bean would otherwise replace Boot's own for the whole
	 * service, load-balanced. Spring Cloud's post-processor still makes this one load-balanced.
	 */
	@Bean(defaultCandidate = false)
	@LoadBalanced
	RestClient.Builder orderServiceRestClientBuilder(LiveStatusProperties properties,
			ObjectProvider<ObservationRegistry> observations, SslBundles sslBundles) {
		LiveStatusProperties.OrderService orderService = properties.orderService();
		HttpClient.Builder httpBuilder = HttpClient.newBuilder()
			.connectTimeout(orderService.connectTimeout())
			// HTTP/1.1: no h2c upgrade attempt on every plain call, and the same protocol over TLS.
			.version(HttpClient.Version.HTTP_1_1);
		if (orderService.sslBundle() != null) {
			// The load balancer turns http://order-service into https://<instance> for an instance registered
			// secure; the JDK client then verifies order-service's certificate and presents this service's own.
			httpBuilder.sslContext(sslBundles.getBundle(orderService.sslBundle()).createSslContext());
		}
		HttpClient http = httpBuilder.build();
		JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(http);
		requests.setReadTimeout(orderService.responseTimeout());
		// Observed like Boot's own builder: an http.client.requests timer, and a client span whose W3C
		// traceparent goes to order-service, so the lookup appears in the trace of the WebSocket connect.
		return RestClient.builder()
			.baseUrl(orderService.baseUrl())
			.requestFactory(requests)
			.observationRegistry(observations.getIfUnique(() -> ObservationRegistry.NOOP));
	}

	@Bean
	OrderDirectory orderServiceClient(@Qualifier("orderServiceRestClientBuilder") RestClient.Builder builder,
			ServiceTokens serviceTokens, CircuitBreakerRegistry breakers) {
		return new OrderServiceClient(builder.requestInterceptor(serviceTokens.asInterceptor()).build(),
				breakers.circuitBreaker(BREAKER));
	}

}

package com.example.shop.storefront;

import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;

import com.example.shop.security.ResourceServerAutoConfiguration;
import com.example.shop.storefront.cart.CartStore;
import com.example.shop.storefront.security.StorefrontSecuritySlice;
import com.example.shop.storefront.shop.ShopApiSlice;
import com.example.shop.storefront.web.StaffOnlySlice;

/**
 * What a {@code @WebMvcTest} of a page needs besides its controller and the {@code @ControllerAdvice}s the slice
 * finds by itself (PageModel, Trouble): the real {@code ShopApi} (Boot's RestClient.Builder, the JDK client with
 * its deadlines, the circuit breaker "gateway" configured by application.yml), the real security rules, the cart's
 * store and the "staff only" page. Left out, as the slice leaves them out: Redis (the session is MockMvc's), Eureka,
 * gRPC and the live feeds. The gateway is a {@link GatewayStandIn}.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import({ ShopApiSlice.class, StorefrontSecuritySlice.class, StaffOnlySlice.class, CartStore.class })
@ImportAutoConfiguration({ HttpClientAutoConfiguration.class, RestClientAutoConfiguration.class,
		CircuitBreakerAutoConfiguration.class, ResourceServerAutoConfiguration.class })
public class PageSlice {

	/** The slice has no metrics auto-configuration; the storefront's own meters (login renewals) need a registry. */
	@Bean
	MeterRegistry meterRegistry() {
		return new SimpleMeterRegistry();
	}

	@Bean
	Shoppers shoppers(ClientRegistrationRepository registrations) {
		return new Shoppers(registrations);
	}

}

package com.example.shop.gateway;

import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import com.netflix.discovery.EurekaClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway as deploy/k8s runs it (profile {@code kubernetes}, nothing else overridden): no Eureka client at
 * all, and every {@code lb://<service-id>} of the routes resolves to the Kubernetes Service of that name on the
 * service's port, through the same load balancer the routes use.
 */
@SpringBootTest
@ActiveProfiles("kubernetes")
class KubernetesProfileTests {

	@Autowired
	ApplicationContext context;

	@Autowired
	LoadBalancerClientFactory balancers;

	@Autowired
	RouteLocator routes;

	@Autowired
	Environment environment;

	@Test
	void runsWithoutEureka() {
		assertThat(this.context.getBeanNamesForType(EurekaClient.class)).isEmpty();
	}

	@ParameterizedTest
	@CsvSource({ "product-service, 8081", "inventory-service, 8082", "order-service, 8083", "payment-service, 8084",
			"notification-service, 8085", "storefront, 8086" })
	void resolvesEveryServiceToItsKubernetesService(String serviceId, int port) {
		Response<ServiceInstance> chosen = Mono.from(this.balancers.getInstance(serviceId).choose())
			.block(Duration.ofSeconds(5));
		assertThat(chosen).isNotNull();
		assertThat(chosen.hasServer()).as("an instance of %s", serviceId).isTrue();
		assertThat(chosen.getServer().getUri()).isEqualTo(URI.create("http://" + serviceId + ":" + port));
	}

	@Test
	void everyRouteGoesToAServiceTheProfileNames() {
		Set<String> targets = this.routes.getRoutes()
			.map(Route::getUri)
			.map(KubernetesProfileTests::serviceId)
			.collect(Collectors.toSet())
			.block(Duration.ofSeconds(5));
		assertThat(targets).containsExactlyInAnyOrder("product-service", "inventory-service", "order-service",
				"payment-service", "notification-service", "storefront");
		for (String serviceId : targets) {
			assertThat(this.balancers.getInstance(serviceId)).as(serviceId).isNotNull();
			assertThat(this.environment
				.getProperty("spring.cloud.discovery.client.simple.instances." + serviceId + "[0].uri"))
				.as("the Service of %s", serviceId)
				.isNotBlank();
		}
	}

	/** lb://order-service, and lb:ws://notification-service (opaque: the service id is in its inner URI). */
	private static String serviceId(URI route) {
		return (route.getHost() != null) ? route.getHost() : URI.create(route.getSchemeSpecificPart()).getHost();
	}

	@Test
	void listensOnThePodsInterfaces() {
		assertThat(this.environment.getProperty("server.address")).isEqualTo("0.0.0.0");
	}

}

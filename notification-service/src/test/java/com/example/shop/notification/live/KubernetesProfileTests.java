package com.example.shop.notification.live;

import java.net.URI;

import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;
import com.netflix.discovery.EurekaClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClient;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * notification-service as deploy/k8s runs it (profile {@code kubernetes}; only the infrastructure endpoints and
 * this class's own topic and group are set by the test): no Eureka client, and the live status's load-balanced
 * lookup of order-service ({@code http://order-service}) goes to the order-service Kubernetes Service.
 */
@SpringBootTest(properties = { "spring.kafka.consumer.group-id=notification-service-${test.namespace}",
		"shop.notification.messaging.order-events-topic=orders.events.${test.namespace}",
		// The profile listens on every interface, as a pod must; this machine allows loopback only.
		"server.address=127.0.0.1" })
@ActiveProfiles("kubernetes")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA, Infrastructure.RABBITMQ })
class KubernetesProfileTests {

	@Autowired
	ApplicationContext context;

	@Autowired
	LoadBalancerClient balancer;

	@Test
	void runsWithoutEureka() {
		assertThat(this.context.getBeanNamesForType(EurekaClient.class)).isEmpty();
	}

	@Test
	void findsOrderServiceThroughItsKubernetesService() {
		ServiceInstance chosen = this.balancer.choose("order-service");
		assertThat(chosen).isNotNull();
		assertThat(chosen.getUri()).isEqualTo(URI.create("http://order-service:8083"));
	}

}

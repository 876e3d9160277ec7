package com.example.shop.order.discovery;

import java.util.List;

import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;
import com.netflix.discovery.EurekaClient;
import io.grpc.ManagedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.ApplicationContext;
import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * order-service as deploy/k8s runs it (profile {@code kubernetes}; only the infrastructure endpoints and this
 * class's own topics and group are set by the test): no Eureka client, and the gRPC channels to product- and
 * inventory-service target the headless Kubernetes Services through grpc-java's DNS resolver instead of the
 * {@code discovery:///} resolver (whose authority would be the bare service id).
 */
@SpringBootTest(properties = { "spring.kafka.consumer.group-id=order-service-${test.namespace}",
		"spring.kafka.listener.concurrency=1",
		"shop.orders.messaging.inventory-commands-topic=inventory.commands.${test.namespace}",
		"shop.orders.messaging.inventory-replies-topic=inventory.replies.${test.namespace}",
		"shop.orders.messaging.order-events-topic=orders.events.${test.namespace}",
		"shop.orders.messaging.partitions=1", "shop.messaging.outbox.relay-enabled=false",
		// The profile listens on every interface, as a pod must; this machine allows loopback only.
		"server.address=127.0.0.1" })
@ActiveProfiles("kubernetes")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA, Infrastructure.RABBITMQ })
class KubernetesProfileTests {

	@Autowired
	ApplicationContext context;

	@Autowired
	GrpcChannelFactory channels;

	@Autowired
	DiscoveryClient discovery;

	@Test
	void runsWithoutEureka() {
		assertThat(this.context.getBeanNamesForType(EurekaClient.class)).isEmpty();
		assertThat(this.discovery.getServices()).doesNotContain("product-service", "inventory-service");
	}

	@ParameterizedTest
	@CsvSource({ "product-service, product-service-grpc:9081", "inventory-service, inventory-service-grpc:9082" })
	void grpcPeersAreTheHeadlessServicesByDns(String channel, String authority) {
		// Creating a channel resolves nothing yet (it starts idle), so no DNS lookup leaves this machine.
		ManagedChannel created = this.channels.createChannel(channel);
		try {
			assertThat(created.authority()).isEqualTo(authority);
		}
		finally {
			created.shutdownNow();
		}
		assertThat(List.of(this.context.getEnvironment()
			.getProperty("spring.grpc.client.channels." + channel + ".address"))).singleElement()
			.asString()
			.startsWith("dns:///");
	}

}

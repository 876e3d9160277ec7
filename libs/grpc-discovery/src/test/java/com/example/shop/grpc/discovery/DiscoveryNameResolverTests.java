package com.example.shop.grpc.discovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.NameResolverRegistry;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.client.discovery.simple.InstanceProperties;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClient;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code discovery:///product-service} through a real channel to two real gRPC servers, with Spring Cloud's
 * property-backed {@link SimpleDiscoveryClient} as the registry: calls are spread over both replicas, and the
 * channel follows instances as they go and come.
 */
class DiscoveryNameResolverTests {

	CountingGrpcServer first;

	CountingGrpcServer second;

	SimpleDiscoveryProperties registry;

	ManagedChannel channel;

	@BeforeEach
	void start() {
		this.first = CountingGrpcServer.start();
		this.second = CountingGrpcServer.start();
		this.registry = new SimpleDiscoveryProperties();
		this.registry.getInstances()
			.put("product-service", new ArrayList<>(List.of(instance("a", this.first.port()), instance("b", this.second.port()),
					// Registered without gRPC (an HTTP-only instance): never a gRPC address.
					instance("c", null))));
	}

	@AfterEach
	void stop() throws InterruptedException {
		if (this.channel != null) {
			this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
		this.first.close();
		this.second.close();
	}

	@Test
	void grpcJavaFindsTheProviderForTheScheme() {
		assertThat(NameResolverRegistry.getDefaultRegistry().getProviderForScheme("discovery"))
			.isInstanceOf(DiscoveryNameResolverProvider.class);
	}

	@Test
	void callsAreSpreadRoundRobinOverTheRegisteredInstances() {
		this.channel = channel("discovery:///product-service");
		// Until both connections are up, round_robin uses the one that is.
		await().atMost(Duration.ofSeconds(5)).until(() -> {
			call();
			return this.first.calls() > 0 && this.second.calls() > 0;
		});
		int first = this.first.calls();
		int second = this.second.calls();
		for (int i = 0; i < 10; i++) {
			call();
		}
		assertThat(this.first.calls() - first).isEqualTo(5);
		assertThat(this.second.calls() - second).isEqualTo(5);
	}

	@Test
	void theChannelFollowsInstancesThatGoAndCome() {
		this.channel = channel("discovery:///product-service");
		call();
		call();
		this.registry.getInstances().get("product-service").removeIf((instance) -> instance.getInstanceId().equals("a"));
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			int before = this.first.calls();
			for (int i = 0; i < 4; i++) {
				call();
			}
			assertThat(this.first.calls()).isEqualTo(before);
		});
		this.registry.getInstances().get("product-service").add(instance("a", this.first.port()));
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			int before = this.first.calls();
			call();
			call();
			assertThat(this.first.calls()).isGreaterThan(before);
		});
	}

	@Test
	void withoutAnyInstanceCallsAreUnavailable() {
		this.channel = channel("discovery:///inventory-service");
		assertThatThrownBy(this::call).isInstanceOfSatisfying(StatusRuntimeException.class,
				(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
	}

	@Test
	void aChannelWithoutTheDiscoveryClientArgumentIsRefusedWithAClearMessage() {
		assertThatThrownBy(
				() -> Grpc.newChannelBuilder("discovery:///product-service", InsecureChannelCredentials.create()).build())
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("shop.discovery-client");
	}

	@Test
	void serviceIdsAreReadFromTheTarget() {
		assertThat(DiscoveryNameResolverProvider.serviceId(java.net.URI.create("discovery:///product-service")))
			.isEqualTo("product-service");
		assertThat(DiscoveryNameResolverProvider.serviceId(java.net.URI.create("discovery://product-service")))
			.isEqualTo("product-service");
		assertThatThrownBy(() -> DiscoveryNameResolverProvider.serviceId(java.net.URI.create("discovery:///a/b")))
			.isInstanceOf(IllegalArgumentException.class);
	}

	private void call() {
		HealthGrpc.newBlockingStub(this.channel)
			.withDeadlineAfter(2, TimeUnit.SECONDS)
			.check(HealthCheckRequest.getDefaultInstance());
	}

	private ManagedChannel channel(String target) {
		return Grpc.newChannelBuilder(target, InsecureChannelCredentials.create())
			.setNameResolverArg(DiscoveryNameResolverProvider.DISCOVERY_CLIENT, new SimpleDiscoveryClient(this.registry))
			.setNameResolverArg(DiscoveryNameResolverProvider.REFRESH_INTERVAL, Duration.ofMillis(200))
			.defaultLoadBalancingPolicy("round_robin")
			.build();
	}

	private static InstanceProperties instance(String id, Integer grpcPort) {
		InstanceProperties instance = new InstanceProperties();
		instance.setInstanceId(id);
		instance.setServiceId("product-service");
		instance.setHost("127.0.0.1");
		instance.setPort(8081);
		instance.setMetadata((grpcPort != null) ? Map.of("grpc-port", grpcPort.toString()) : Map.of());
		return instance;
	}

}

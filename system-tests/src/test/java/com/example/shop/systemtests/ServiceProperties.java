package com.example.shop.systemtests;

import java.util.ArrayList;
import java.util.List;

import com.example.shop.testsupport.DatabaseCoordinates;
import com.example.shop.testsupport.KeycloakServer;
import com.example.shop.testsupport.RabbitBroker;
import com.example.shop.testsupport.RabbitUsers;
import com.example.shop.testsupport.RabbitUsers.RabbitUser;
import com.example.shop.testsupport.RedisServer;
import com.example.shop.testsupport.TestInfrastructure;

/** The command-line properties that point a service's process at the test infrastructure. */
final class ServiceProperties {

	private final List<String> properties = new ArrayList<>();

	static ServiceProperties of(String... properties) {
		ServiceProperties built = new ServiceProperties();
		built.properties.addAll(List.of(properties));
		return built;
	}

	ServiceProperties eureka(ServiceProcess discovery) {
		// The address only: each service puts its own account in front (application.yml's defaultZone).
		return with("EUREKA_ADDRESS=" + java.net.URI.create(discovery.baseUrl()).getAuthority());
	}

	ServiceProperties database(DatabaseCoordinates database) {
		return with("spring.datasource.url=" + database.jdbcUrl(), "spring.datasource.username=" + database.username(),
				"spring.datasource.password=" + database.password());
	}

	ServiceProperties redis(String keyPrefix) {
		RedisServer redis = TestInfrastructure.redis();
		return with("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
				"spring.cache.redis.key-prefix=" + keyPrefix + "::");
	}

	ServiceProperties kafka() {
		return with("spring.kafka.bootstrap-servers=" + TestInfrastructure.kafka().bootstrapServers());
	}

	/**
	 * The test's virtual host, as the service's own RabbitMQ user with exactly the permissions it is deployed with
	 * (deploy/rabbitmq/permissions): the whole saga runs on them, so a permission the platform lacks fails here.
	 */
	ServiceProperties rabbit(String virtualHost, String service) {
		RabbitBroker rabbit = TestInfrastructure.rabbit();
		RabbitUser user = RabbitUsers.of(service);
		// Users are broker-wide: named after this run's virtual host, with rights on it alone.
		String name = virtualHost + "-" + service;
		rabbit.createUser(name, user.devPassword(), virtualHost, user.configure(), user.write(), user.read());
		return with("spring.rabbitmq.host=" + rabbit.host(), "spring.rabbitmq.port=" + rabbit.amqpPort(),
				"spring.rabbitmq.username=" + name, "spring.rabbitmq.password=" + user.devPassword(),
				"spring.rabbitmq.virtual-host=" + virtualHost);
	}

	/**
	 * The realm whose tokens the service accepts; services that call others get their own tokens from it
	 * (their client registrations derive the token endpoint from the issuer).
	 */
	ServiceProperties identity(KeycloakServer keycloak) {
		return with("shop.security.issuer-uri=" + keycloak.issuerUri(), "shop.security.jwk-set-uri=" + keycloak.jwkSetUri());
	}

	/**
	 * The gateway's rate limits in the test Redis, this run's buckets only, and high enough for these tests' load:
	 * they play hundreds of shoppers with one login (alice places 200 orders at once), which the production limits
	 * (per customer) refuse on purpose. The limits themselves are tested in api-gateway's RateLimitTests.
	 */
	ServiceProperties rateLimitsAboveTheLoad(String namespace) {
		RedisServer redis = TestInfrastructure.redis();
		return with("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
				"shop.gateway.rate-limits.key-prefix=" + namespace + ":",
				"shop.gateway.rate-limits.api.replenish-rate=5000", "shop.gateway.rate-limits.api.burst-capacity=20000",
				"shop.gateway.rate-limits.checkout.replenish-rate=1000",
				"shop.gateway.rate-limits.checkout.burst-capacity=20000");
	}

	/** A gRPC server on a free port (and so a replica of its own). */
	ServiceProperties grpcOnFreePort() {
		return with("spring.grpc.server.port=" + ServiceProcess.freePort());
	}

	ServiceProperties with(String... more) {
		ServiceProperties copy = new ServiceProperties();
		copy.properties.addAll(this.properties);
		copy.properties.addAll(List.of(more));
		return copy;
	}

	List<String> toList() {
		return List.copyOf(properties);
	}

}

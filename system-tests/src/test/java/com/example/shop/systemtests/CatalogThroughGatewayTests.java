package com.example.shop.systemtests;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import com.example.shop.testsupport.DatabaseCoordinates;
import com.example.shop.testsupport.KeycloakServer;
import com.example.shop.testsupport.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog slice as a user meets it: Eureka, two product-service replicas sharing one database and one
 * cache, and the gateway in front, each its own JVM started from its packaged jar. The tests run in order
 * because the last ones take replicas away.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CatalogThroughGatewayTests {

	private static final Duration STARTUP = Duration.ofSeconds(150);

	private static final Duration CONVERGENCE = Duration.ofSeconds(90);

	/** As the demo admin (product writes need the role), logged in at the realm's Keycloak. */
	private HttpJson client;

	private final JsonMapper json = JsonMapper.builder().build();

	private final List<ServiceProcess> processes = new ArrayList<>();

	private ServiceProcess discovery;

	private ServiceProcess replicaA;

	private ServiceProcess replicaB;

	private ServiceProcess gateway;

	@BeforeAll
	void startThePlatformSlice() {
		KeycloakServer keycloak = TestInfrastructure.keycloak();
		client = new HttpJson().as(new Login(keycloak, "admin", "admin"));
		DatabaseCoordinates database = TestInfrastructure.postgres().createDatabase("system-catalog");
		String namespace = TestInfrastructure.newNamespace("system-catalog");

		discovery = track(ServiceProcess.start("discovery-server", "discovery-server", ServiceProcess.freePort(),
				List.of()));
		ServiceProperties product = ServiceProperties.of()
			.eureka(discovery)
			.identity(keycloak)
			.database(database)
			.redis(namespace)
			.kafka();
		// Both replicas start at once against one empty database: Flyway's lock must make that safe.
		replicaA = track(ServiceProcess.start("product-service", "product-service-a", ServiceProcess.freePort(),
				product.grpcOnFreePort().toList()));
		replicaB = track(ServiceProcess.start("product-service", "product-service-b", ServiceProcess.freePort(),
				product.grpcOnFreePort().toList()));
		gateway = track(ServiceProcess.start("api-gateway", "api-gateway", ServiceProcess.freePort(),
				ServiceProperties.of().eureka(discovery).identity(keycloak).rateLimitsAboveTheLoad(namespace).toList()));

		discovery.awaitHealthy(STARTUP);
		replicaA.awaitHealthy(STARTUP);
		replicaB.awaitHealthy(STARTUP);
		gateway.awaitHealthy(STARTUP);
	}

	@AfterAll
	void stopEverything() {
		processes.forEach(ServiceProcess::close);
	}

	@Test
	@Order(1)
	void theGatewayServesTheSeededCatalogResolvedThroughEureka() {
		HttpResponse<String> response = awaitResponse(gateway.baseUrl() + "/api/products?size=5",
				r -> r.statusCode() == 200);

		JsonNode page = json.readTree(response.body());
		assertThat(page.get("content")).hasSize(5);
		assertThat(page.at("/page/size").asInt()).isEqualTo(5);
		assertThat(page.at("/page/totalElements").asInt()).isGreaterThanOrEqualTo(40);
		assertThat(response.headers().firstValue("X-Request-Id")).as("the gateway tags every exchange").isPresent();
	}

	@Test
	@Order(2)
	void bothReplicasAreRegisteredWithAddressesThatAnswer() {
		List<JsonNode> instances = awaitInstances(2);

		Set<Integer> ports = Set.of(replicaA.httpPort(), replicaB.httpPort());
		for (JsonNode instance : instances) {
			String host = instance.get("hostName").asString();
			int port = instance.at("/port/$").asInt();
			assertThat(host).isIn("localhost", "127.0.0.1");
			assertThat(port).isIn(ports);
			// The registry's health URL is the replica's management port, not its API port, and it answers.
			String healthUrl = instance.get("healthCheckUrl").asString();
			assertThat(healthUrl).startsWith("http://" + host + ":").endsWith("/actuator/health")
				.doesNotContain(":" + port + "/");
			assertThat(get(healthUrl).statusCode()).isEqualTo(200);
			assertThat(get("http://" + host + ":" + port + "/actuator/health").statusCode()).isEqualTo(404);
		}
	}

	@Test
	@Order(3)
	void anUpdateThroughTheGatewayIsSeenByEveryReplicaDespiteTheirCache() {
		String id = json.readTree(get(gateway.baseUrl() + "/api/products?size=1&sort=name,asc").body())
			.at("/content/0/id")
			.asString();
		// Warm the shared cache through both replicas.
		JsonNode before = json.readTree(get(replicaA.baseUrl() + "/api/products/" + id).body());
		assertThat(json.readTree(get(replicaB.baseUrl() + "/api/products/" + id).body())).isEqualTo(before);

		BigDecimal newPrice = before.get("price").decimalValue().add(new BigDecimal("1.25"));
		ObjectNode update = json.createObjectNode();
		for (String field : List.of("sku", "name", "description", "category", "currency")) {
			update.set(field, before.get(field));
		}
		update.put("price", newPrice);
		HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/api/products/" + id))
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(update.toString())));
		assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

		for (ServiceProcess replica : List.of(replicaA, replicaB)) {
			JsonNode after = json.readTree(get(replica.baseUrl() + "/api/products/" + id).body());
			assertThat(after.get("price").decimalValue()).as(replica.baseUrl()).isEqualByComparingTo(newPrice);
		}
	}

	@Test
	@Order(4)
	void aReplicaStoppedGracefullyLeavesEurekaAndTrafficFlowsToTheOther() {
		replicaA.stopGracefully();

		List<JsonNode> instances = awaitInstances(1);
		assertThat(instances.getFirst().at("/port/$").asInt()).isEqualTo(replicaB.httpPort());
		// Once the gateway's view has caught up, no request fails.
		awaitConsecutiveSuccesses(gateway.baseUrl() + "/api/products?size=2", 10);
	}

	@Test
	@Order(5)
	void withNoReplicaLeftTheGatewayAnswersAProblemNotAnErrorPage() {
		replicaB.stopGracefully();

		HttpResponse<String> response = awaitResponse(gateway.baseUrl() + "/api/products?size=2",
				r -> r.statusCode() == 503);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/problem+json"));
		JsonNode problem = json.readTree(response.body());
		assertThat(problem.get("status").asInt()).isEqualTo(503);
		assertThat(problem.get("detail").asString()).contains("product-service");
	}

	private List<JsonNode> awaitInstances(int expected) {
		Instant deadline = Instant.now().plus(CONVERGENCE);
		List<JsonNode> instances = List.of();
		while (Instant.now().isBefore(deadline)) {
			// Without the admin's bearer token (which this test's client would put on): the registry takes its own
			// accounts only.
			HttpResponse<String> response = new HttpJson().send(
					HttpRequest.newBuilder(URI.create(discovery.baseUrl() + "/eureka/apps/PRODUCT-SERVICE"))
						.header("Accept", "application/json")
						// The registry's operator account (development password, discovery-server's application.yml).
						.header("Authorization", "Basic " + java.util.Base64.getEncoder()
							.encodeToString("operator:operator-dev-eureka".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
			instances = new ArrayList<>();
			if (response.statusCode() == 200) {
				JsonNode node = json.readTree(response.body()).at("/application/instance");
				if (node.isArray()) {
					node.forEach(instances::add);
				}
				else if (node.isObject()) {
					instances.add(node);
				}
				instances.removeIf(instance -> !"UP".equals(instance.get("status").asString()));
			}
			if (instances.size() == expected) {
				return instances;
			}
			ServiceProcess.sleep(Duration.ofMillis(500));
		}
		throw new AssertionError("expected " + expected + " product-service instances UP in Eureka, saw "
				+ instances.size() + " after " + CONVERGENCE);
	}

	private void awaitConsecutiveSuccesses(String url, int wanted) {
		Instant deadline = Instant.now().plus(CONVERGENCE);
		int streak = 0;
		while (streak < wanted) {
			assertThat(Instant.now()).as("%d consecutive 200s from %s", wanted, url).isBefore(deadline);
			streak = (get(url).statusCode() == 200) ? streak + 1 : 0;
			ServiceProcess.sleep(Duration.ofMillis(200));
		}
	}

	private HttpResponse<String> awaitResponse(String url, Predicate<HttpResponse<String>> wanted) {
		return client.await(url, CONVERGENCE, wanted, () -> "--- gateway log ---\n" + gateway.logTail());
	}

	private HttpResponse<String> get(String url) {
		return client.get(url);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		return client.send(request);
	}

	private ServiceProcess track(ServiceProcess process) {
		processes.add(process);
		return process;
	}

}

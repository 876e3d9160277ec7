package com.example.shop.discovery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import com.example.shop.discoveryprobe.RegistryProbeApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the real registry on a random port and a real Eureka client application (a second Spring Boot
 * application in this JVM, with an account of its own) against it, then reads the registry over HTTP the way
 * other services and operators do; and shows each refusal: no account, a wrong password, a service writing
 * another's instances, a service on the dashboard.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "shop.discovery.services.registry-probe=" + DiscoveryServerTests.PROBE_PASSWORD)
class DiscoveryServerTests {

	static final String PROBE_PASSWORD = "probe-secret";

	/** The development account of the operator (application.yml). */
	private static final String OPERATOR = "operator:operator-dev-eureka";

	private static final String PROBE_NAME = "registry-probe";

	/**
	 * Long on purpose: the probe must vanish from the registry well before this lease could expire, which
	 * proves it was removed by its own deregistration and not by eviction.
	 */
	private static final int PROBE_LEASE_SECONDS = 90;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int registryPort;

	@LocalManagementPort
	int managementPort;

	/** The probe's actuator port, a port of its own as every service has (management.server.port). */
	private int probeManagementPort;

	private ConfigurableApplicationContext probe;

	@AfterEach
	void stopProbe() {
		if (probe != null) {
			probe.close();
		}
	}

	@Test
	void registersAClientUnderItsReachableAddressAndDropsItWhenItStops() throws Exception {
		probe = startProbe();
		int probePort = ((WebServerApplicationContext) probe).getWebServer().getPort();

		// This probe's registration: another test's probe used the same instance id, and the registry's read cache
		// (3 s) may still show it for a moment.
		JsonNode instance = await("probe registered").atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> registeredProbe(),
					found -> found.filter(registered -> registered.path("port").path("$").asInt() == probePort)
						.isPresent())
			.orElseThrow();

		assertThat(instance.path("status").asString()).isEqualTo("UP");
		assertThat(instance.path("hostName").asString()).isIn("localhost", "127.0.0.1");
		assertThat(instance.path("port").path("$").asInt()).isEqualTo(probePort);

		// The address in the registry is one another service can really call; its health is on the management port.
		String healthUrl = instance.path("healthCheckUrl").asString();
		assertThat(healthUrl).isEqualTo("http://" + instance.path("hostName").asString() + ":" + probeManagementPort
				+ "/actuator/health");
		HttpResponse<String> health = get(healthUrl);
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).contains("\"UP\"");

		Instant stopped = Instant.now();
		probe.close();
		probe = null;

		await("probe deregistered").atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> registeredProbe().isEmpty());
		assertThat(Duration.between(stopped, Instant.now())).isLessThan(Duration.ofSeconds(PROBE_LEASE_SECONDS));
	}

	@Test
	void doesNotRegisterItselfAndServesItsRegistryAndActuator() throws Exception {
		HttpResponse<String> apps = send("GET", "/eureka/apps", OPERATOR);
		assertThat(apps.statusCode()).isEqualTo(200);
		assertThat(applications(json.readTree(apps.body())))
			.noneMatch(app -> app.path("name").asString().equalsIgnoreCase("discovery-server"));

		String management = "http://localhost:" + managementPort;
		assertThat(get(management + "/actuator/health").statusCode()).isEqualTo(200);
		HttpResponse<String> prometheus = get(management + "/actuator/prometheus");
		assertThat(prometheus.statusCode()).isEqualTo(200);
		assertThat(prometheus.body()).contains("jvm_memory_used_bytes");
		// Only health, info and prometheus are exposed, and only on the management port.
		assertThat(send("GET", "/actuator/env", OPERATOR).statusCode()).isEqualTo(404);
		assertThat(get(registryUrl("/actuator/health")).statusCode()).isEqualTo(404);
		assertThat(get(registryUrl("/actuator/prometheus")).statusCode()).isEqualTo(404);
	}

	private ConfigurableApplicationContext startProbe() {
		// Everything as command-line arguments, which outrank any configuration file; and a config name
		// of its own, so the server's application.yml on this classpath does not configure the probe.
		probeManagementPort = freePort();
		return new SpringApplicationBuilder(RegistryProbeApplication.class).run(
				"--spring.config.name=registry-probe",
				"--spring.application.name=" + PROBE_NAME,
				"--server.port=0",
				"--server.address=127.0.0.1",
				"--management.server.port=" + probeManagementPort,
				"--eureka.client.service-url.defaultZone=http://" + PROBE_NAME + ":" + PROBE_PASSWORD + "@localhost:"
						+ registryPort + "/eureka/",
				"--eureka.client.fetch-registry=false",
				// The server's Jersey jars share this test classpath; real services have none and talk to
				// the registry through RestClient, so the probe does too.
				"--eureka.client.jersey.enabled=false",
				"--eureka.instance.hostname=localhost",
				"--eureka.instance.prefer-ip-address=false",
				"--eureka.instance.ip-address=127.0.0.1",
				"--eureka.instance.instance-id=" + PROBE_NAME + ":localhost",
				// Register and renew at once instead of after the 30-40 s defaults.
				"--eureka.client.initial-instance-info-replication-interval-seconds=1",
				"--eureka.client.instance-info-replication-interval-seconds=1",
				"--eureka.instance.lease-renewal-interval-in-seconds=1",
				"--eureka.instance.lease-expiration-duration-in-seconds=" + PROBE_LEASE_SECONDS,
				"--management.endpoints.web.exposure.include=health");
	}

	@Test
	void nobodyReadsOrWritesTheRegistryWithoutAnAccountAndAServiceWritesOnlyItsOwnInstances() throws Exception {
		assertThat(get(registryUrl("/eureka/apps"), "application/json").statusCode()).as("no account").isEqualTo(401);
		assertThat(send("GET", "/eureka/apps", "order-service:wrong-password").statusCode()).as("wrong password")
			.isEqualTo(401);
		assertThat(send("GET", "/eureka/apps", "order-service:order-service-dev-eureka").statusCode())
			.as("a service reads the registry").isEqualTo(200);

		probe = startProbe();
		JsonNode instance = await("probe registered").atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> registeredProbe(), Optional::isPresent)
			.orElseThrow();
		String ownInstance = "/eureka/apps/REGISTRY-PROBE/" + instance.path("instanceId").asString();

		// Another service cannot take the probe's traffic or drop it: register under its name, take it out of
		// service, remove it.
		String other = "order-service:order-service-dev-eureka";
		assertThat(send("POST", "/eureka/apps/REGISTRY-PROBE", other).statusCode()).isEqualTo(403);
		assertThat(send("PUT", ownInstance + "/status?value=OUT_OF_SERVICE", other).statusCode()).isEqualTo(403);
		assertThat(send("DELETE", ownInstance, other).statusCode()).isEqualTo(403);
		assertThat(send("DELETE", ownInstance, null).statusCode()).isEqualTo(401);
		assertThat(registeredProbe()).as("still registered, still UP")
			.hasValueSatisfying(still -> assertThat(still.path("status").asString()).isEqualTo("UP"));

		// A heartbeat for an instance the registry does not know is a 404, which tells a client to register again.
		assertThat(send("PUT", "/eureka/apps/ORDER-SERVICE/order-service:localhost:1?status=UP", other).statusCode())
			.isEqualTo(404);

		// The dashboard is the operator's.
		assertThat(send("GET", "/", other).statusCode()).isEqualTo(403);
		assertThat(send("GET", "/", OPERATOR).statusCode()).isEqualTo(200);
	}

	private Optional<JsonNode> registeredProbe() throws Exception {
		HttpResponse<String> response = send("GET", "/eureka/apps", OPERATOR);
		assertThat(response.statusCode()).isEqualTo(200);
		for (JsonNode app : applications(json.readTree(response.body()))) {
			if (app.path("name").asString().equalsIgnoreCase(PROBE_NAME)) {
				List<JsonNode> instances = asList(app.path("instance"));
				return instances.isEmpty() ? Optional.empty() : Optional.of(instances.get(0));
			}
		}
		return Optional.empty();
	}

	private static List<JsonNode> applications(JsonNode registry) {
		return asList(registry.path("applications").path("application"));
	}

	/** Eureka's JSON has a list where there are several entries, a single object or nothing otherwise. */
	private static List<JsonNode> asList(JsonNode node) {
		List<JsonNode> list = new ArrayList<>();
		if (node.isArray()) {
			node.forEach(list::add);
		}
		else if (node.isObject()) {
			list.add(node);
		}
		return list;
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private String registryUrl(String path) {
		return "http://localhost:" + registryPort + path;
	}

	private HttpResponse<String> get(String url) throws Exception {
		return get(url, "*/*");
	}

	/** A request with HTTP Basic credentials ({@code user:password}), or none when null. */
	private HttpResponse<String> send(String method, String path, String credentials) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(registryUrl(path)))
			.header("Accept", "application/json")
			.timeout(Duration.ofSeconds(5))
			.method(method, HttpRequest.BodyPublishers.noBody());
		if (credentials != null) {
			request.header("Authorization", "Basic "
					+ Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String url, String accept) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url))
			.header("Accept", accept)
			.timeout(Duration.ofSeconds(5))
			.build();
		return http.send(request, HttpResponse.BodyHandlers.ofString());
	}

}

package com.example.shop.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * The infrastructure of this test JVM: one PostgreSQL, Kafka, RabbitMQ and Redis, each started (or
 * connected to) on first use and shared by every test class, which takes an isolated slice of it; and one
 * Keycloak with the platform's realm, for tests of real logins and tokens.
 * Spring tests use {@link UsesInfrastructure}; anything else calls these methods directly.
 */
public final class TestInfrastructure {

	private static final Logger log = LoggerFactory.getLogger(TestInfrastructure.class);

	private static InfrastructureMode mode;

	private static PostgresServer postgres;

	private static KafkaBroker kafka;

	private static RabbitBroker rabbit;

	private static RedisServer redis;

	private static KeycloakServer keycloak;

	private TestInfrastructure() {
	}

	public static synchronized InfrastructureMode mode() {
		if (mode == null) {
			String override = System.getenv(InfrastructureMode.OVERRIDE_VARIABLE);
			mode = InfrastructureMode.select(override, TestInfrastructure::dockerAvailable);
			log.info("Test infrastructure: {} ({}={})", mode, InfrastructureMode.OVERRIDE_VARIABLE,
					override == null ? "auto" : override);
			Runtime.getRuntime().addShutdownHook(new Thread(TestInfrastructure::release, "test-infrastructure-cleanup"));
		}
		return mode;
	}

	public static synchronized PostgresServer postgres() {
		if (postgres == null) {
			postgres = start("PostgreSQL", PostgresServer::container, PostgresServer::local);
		}
		return postgres;
	}

	public static synchronized KafkaBroker kafka() {
		if (kafka == null) {
			kafka = start("Kafka", KafkaBroker::container, KafkaBroker::inJvm);
		}
		return kafka;
	}

	public static synchronized RabbitBroker rabbit() {
		if (rabbit == null) {
			rabbit = start("RabbitMQ", RabbitBroker::container, RabbitBroker::local);
		}
		return rabbit;
	}

	public static synchronized RedisServer redis() {
		if (redis == null) {
			redis = start("Redis", RedisServer::container, RedisServer::local);
		}
		return redis;
	}

	/**
	 * Keycloak with the realm {@code shop} of deploy/keycloak/realm-shop.json: its demo users, clients and scopes,
	 * as on the running platform (locally its own database on {@link #postgres()}). Started on first use, stopped
	 * when the JVM exits.
	 */
	public static synchronized KeycloakServer keycloak() {
		if (keycloak == null) {
			keycloak = start("Keycloak", KeycloakServer::container, KeycloakServer::local);
		}
		return keycloak;
	}

	/**
	 * A short id, unique in this JVM and across concurrent runs, safe in database, topic, queue and
	 * virtual host names: a readable hint plus randomness.
	 */
	public static String newNamespace(String hint) {
		String readable = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
		if (readable.length() > 24) {
			readable = readable.substring(0, 24);
		}
		String random = Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
		return (readable.isEmpty() ? "t" : readable) + "-" + random;
	}

	private static <T> T start(String what, Supplier<T> container, Supplier<T> local) {
		long started = System.nanoTime();
		T server = (mode() == InfrastructureMode.TESTCONTAINERS) ? container.get() : local.get();
		log.info("Test infrastructure: {} ready in {} ms ({})", what, (System.nanoTime() - started) / 1_000_000, mode);
		return server;
	}

	/**
	 * Docker is worth probing only if something says an engine might be there; probing without one makes
	 * Testcontainers try every strategy and log each failure.
	 */
	private static boolean dockerAvailable() {
		String home = System.getProperty("user.home");
		boolean hint = System.getenv("DOCKER_HOST") != null
				|| List.of(Path.of("/var/run/docker.sock"), Path.of(home, ".docker/run/docker.sock"),
						Path.of(home, ".colima/default/docker.sock"), Path.of(home, ".rd/docker.sock"),
						Path.of(home, ".testcontainers.properties"))
					.stream()
					.anyMatch(Files::exists);
		return hint && DockerClientFactory.instance().isDockerAvailable();
	}

	private static synchronized void release() {
		if (keycloak != null) {
			keycloak.stop(); // before its database is dropped
		}
		if (postgres != null) {
			postgres.dropCreatedDatabases();
		}
		if (rabbit != null) {
			rabbit.deleteCreatedVirtualHosts();
		}
		if (kafka != null) {
			kafka.stop();
		}
	}

}

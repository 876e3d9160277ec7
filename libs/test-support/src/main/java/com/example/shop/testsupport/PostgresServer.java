package com.example.shop.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * One PostgreSQL server per test JVM; every caller gets a database of its own on it.
 * <p>
 * Creating a database takes milliseconds, starting a server seconds: so classes share the server and
 * never a database. Databases are dropped when the JVM exits; ones left behind by a killed JVM are
 * recognised by the creation time in their name and dropped by the next run.
 */
public final class PostgresServer {

	private static final Logger log = LoggerFactory.getLogger(PostgresServer.class);

	/** Names look like {@code t_<hint>_<epoch seconds, base 36>_<random>}. */
	private static final String PREFIX = "t_";

	private static final Duration LEFTOVER_AGE = Duration.ofHours(6);

	private final String host;

	private final int port;

	private final String username;

	private final String password;

	private final String adminDatabase;

	private final Set<String> createdDatabases = ConcurrentHashMap.newKeySet();

	private PostgresServer(String host, int port, String username, String password, String adminDatabase) {
		this.host = host;
		this.port = port;
		this.username = username;
		this.password = password;
		this.adminDatabase = adminDatabase;
	}

	static PostgresServer local() {
		PostgresServer server = new PostgresServer(env("PLATFORM_TEST_PG_HOST", "127.0.0.1"),
				Integer.parseInt(env("PLATFORM_TEST_PG_PORT", "5432")), env("PLATFORM_TEST_PG_USER", "postgres"),
				env("PLATFORM_TEST_PG_PASSWORD", ""), "postgres");
		server.dropLeftoversOfEarlierRuns();
		return server;
	}

	@SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM exits
	static PostgresServer container() {
		PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
		container.start();
		return new PostgresServer(container.getHost(), container.getMappedPort(5432), container.getUsername(),
				container.getPassword(), container.getDatabaseName());
	}

	public String host() {
		return host;
	}

	public int port() {
		return port;
	}

	/** Creates an empty database whose name starts with a sanitised {@code hint}. */
	public DatabaseCoordinates createDatabase(String hint) {
		String name = PREFIX + sanitise(hint) + "_" + Long.toString(System.currentTimeMillis() / 1000, 36) + "_"
				+ Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
		execute("CREATE DATABASE " + name);
		createdDatabases.add(name);
		return new DatabaseCoordinates(jdbcUrl(name), username, password, name);
	}

	void dropCreatedDatabases() {
		for (String name : createdDatabases) {
			dropQuietly(name);
		}
		createdDatabases.clear();
	}

	private void dropLeftoversOfEarlierRuns() {
		long cutoff = System.currentTimeMillis() / 1000 - LEFTOVER_AGE.toSeconds();
		List<String> leftovers = new ArrayList<>();
		try (Connection connection = adminConnection();
				Statement statement = connection.createStatement();
				ResultSet rows = statement
					.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 't\\_%' ESCAPE '\\'")) {
			while (rows.next()) {
				String name = rows.getString(1);
				String[] parts = name.split("_");
				if (parts.length >= 4) {
					try {
						if (Long.parseLong(parts[parts.length - 2], 36) < cutoff) {
							leftovers.add(name);
						}
					}
					catch (NumberFormatException notOurs) {
						// someone else's database that happens to start with t_: leave it
					}
				}
			}
		}
		catch (SQLException ex) {
			throw unreachable(ex);
		}
		leftovers.forEach(this::dropQuietly);
	}

	private void dropQuietly(String name) {
		try {
			// FORCE: a cached Spring context of the finished test may still hold pooled connections.
			execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
		}
		catch (RuntimeException ex) {
			log.warn("Could not drop test database {}: {}", name, ex.getMessage());
		}
	}

	private void execute(String sql) {
		try (Connection connection = adminConnection(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw unreachable(ex);
		}
	}

	private Connection adminConnection() throws SQLException {
		return DriverManager.getConnection(jdbcUrl(adminDatabase), username, password);
	}

	private String jdbcUrl(String database) {
		return "jdbc:postgresql://" + host + ":" + port + "/" + database;
	}

	private IllegalStateException unreachable(SQLException ex) {
		return new IllegalStateException("PostgreSQL at " + host + ":" + port + " as " + username
				+ " refused the test infrastructure (" + ex.getMessage() + "). Start PostgreSQL, set PLATFORM_TEST_PG_*"
				+ " or run with Docker and " + InfrastructureMode.OVERRIDE_VARIABLE + "=testcontainers", ex);
	}

	static String sanitise(String hint) {
		String cleaned = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
		if (cleaned.isEmpty()) {
			cleaned = "db";
		}
		// PostgreSQL identifiers are at most 63 bytes; leave room for the time and random suffixes.
		return cleaned.length() > 40 ? cleaned.substring(0, 40) : cleaned;
	}

	static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value == null || value.isBlank()) ? fallback : value;
	}

}

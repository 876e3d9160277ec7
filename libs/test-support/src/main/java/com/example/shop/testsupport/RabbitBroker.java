package com.example.shop.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.rabbitmq.RabbitMQContainer;

/**
 * One RabbitMQ broker per test JVM; every caller gets a virtual host of its own, so queues, exchanges and
 * bindings of one test class are invisible to the others. Virtual hosts are made through the management
 * HTTP API (the management plugin is part of the platform: its UI is on 15672).
 */
public final class RabbitBroker {

	private static final Logger log = LoggerFactory.getLogger(RabbitBroker.class);

	private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

	private final String host;

	private final int amqpPort;

	private final String username;

	private final String password;

	private final URI managementUri;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1) // the management API closes h2c upgrade attempts
		.connectTimeout(HTTP_TIMEOUT)
		.build();

	private final Set<String> createdVirtualHosts = ConcurrentHashMap.newKeySet();

	private final Set<String> createdUsers = ConcurrentHashMap.newKeySet();

	private RabbitBroker(String host, int amqpPort, String username, String password, URI managementUri) {
		this.host = host;
		this.amqpPort = amqpPort;
		this.username = username;
		this.password = password;
		this.managementUri = managementUri;
	}

	static RabbitBroker local() {
		String host = PostgresServer.env("PLATFORM_TEST_RABBIT_HOST", "127.0.0.1");
		return new RabbitBroker(host, Integer.parseInt(PostgresServer.env("PLATFORM_TEST_RABBIT_PORT", "5672")),
				PostgresServer.env("PLATFORM_TEST_RABBIT_USER", "guest"),
				PostgresServer.env("PLATFORM_TEST_RABBIT_PASSWORD", "guest"), URI.create("http://" + host + ":"
						+ PostgresServer.env("PLATFORM_TEST_RABBIT_MANAGEMENT_PORT", "15672") + "/"));
	}

	@SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM exits
	static RabbitBroker container() {
		RabbitMQContainer container = new RabbitMQContainer("rabbitmq:4.1-management-alpine");
		container.start();
		return new RabbitBroker(container.getHost(), container.getAmqpPort(), container.getAdminUsername(),
				container.getAdminPassword(), URI.create(container.getHttpUrl() + "/"));
	}

	public String host() {
		return host;
	}

	public int amqpPort() {
		return amqpPort;
	}

	public String username() {
		return username;
	}

	public String password() {
		return password;
	}

	/** Creates a virtual host named after {@code hint} and grants this broker's user full rights on it. */
	public String createVirtualHost(String hint) {
		String name = hint;
		String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8);
		send("PUT", "api/vhosts/" + encoded, "{}");
		send("PUT", "api/permissions/" + encoded + "/" + URLEncoder.encode(username, StandardCharsets.UTF_8),
				"{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}");
		createdVirtualHosts.add(name);
		return name;
	}

	/**
	 * Creates (or updates) a user with the given password and grants it exactly these permissions on
	 * {@code virtualHost} and on no other; deleted with the test JVM's virtual hosts. Users are broker-wide, so
	 * the caller makes the name unique (a test namespace in it).
	 */
	public void createUser(String name, String password, String virtualHost, String configure, String write,
			String read) {
		String user = URLEncoder.encode(name, StandardCharsets.UTF_8);
		send("PUT", "api/users/" + user, "{\"password\":" + json(password) + ",\"tags\":\"\"}");
		createdUsers.add(name);
		send("PUT", "api/permissions/" + URLEncoder.encode(virtualHost, StandardCharsets.UTF_8) + "/" + user,
				"{\"configure\":" + json(configure) + ",\"write\":" + json(write) + ",\"read\":" + json(read) + "}");
	}

	/** A JSON string: the permission patterns hold backslashes. */
	private static String json(String value) {
		return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

	void deleteCreatedVirtualHosts() {
		for (String name : createdUsers) {
			try {
				send("DELETE", "api/users/" + URLEncoder.encode(name, StandardCharsets.UTF_8), null);
			}
			catch (RuntimeException ex) {
				log.warn("Could not delete test user {}: {}", name, ex.getMessage());
			}
		}
		createdUsers.clear();
		for (String name : createdVirtualHosts) {
			try {
				send("DELETE", "api/vhosts/" + URLEncoder.encode(name, StandardCharsets.UTF_8), null);
			}
			catch (RuntimeException ex) {
				log.warn("Could not delete test virtual host {}: {}", name, ex.getMessage());
			}
		}
		createdVirtualHosts.clear();
	}

	private void send(String method, String path, String json) {
		HttpRequest.Builder request = HttpRequest.newBuilder(managementUri.resolve(path))
			.timeout(HTTP_TIMEOUT)
			.header("Authorization", "Basic " + Base64.getEncoder()
				.encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)))
			.header("Content-Type", "application/json")
			.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
		try {
			HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() >= 300 && !(method.equals("DELETE") && response.statusCode() == 404)) {
				throw new IllegalStateException("RabbitMQ management API answered " + response.statusCode() + " to "
						+ method + " " + path + ": " + response.body());
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("RabbitMQ management API at " + managementUri + " is not reachable ("
					+ ex + "); the test infrastructure needs it for per-class virtual hosts: run "
					+ "'rabbitmq-plugins enable rabbitmq_management' (./platform up does it)", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}

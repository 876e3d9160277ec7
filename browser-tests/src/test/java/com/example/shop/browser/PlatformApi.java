package com.example.shop.browser;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the browser tests arrange outside the browser, each through a public door: stock through the API as the
 * demo admin (a token from the realm's development-only password client, as {@code ./platform token admin}), the
 * mails through the local mail server's HTTP API, a poison message through RabbitMQ's management API (the same
 * operator drill as the Postman collection).
 */
final class PlatformApi {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	// HTTP/1.1: RabbitMQ's management server closes the connection on the JDK client's HTTP/2 upgrade attempt.
	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final String gateway;

	private final String issuer;

	private final String mailApi;

	private final String rabbitApi;

	private final String rabbitVhost;

	private final String storefrontMetrics;

	PlatformApi(String gateway, String issuer, String mailApi, String rabbitApi, String rabbitVhost,
			String storefrontMetrics) {
		this.gateway = gateway;
		this.issuer = issuer;
		this.mailApi = mailApi;
		this.rabbitApi = rabbitApi;
		this.rabbitVhost = rabbitVhost;
		this.storefrontMetrics = storefrontMetrics;
	}

	static PlatformApi fromSystemProperties() {
		return new PlatformApi(property("browser.base-url", "http://localhost:8080"),
				property("browser.issuer", "http://127.0.0.1:8180/realms/shop"),
				property("browser.mail-api", "http://127.0.0.1:8025"),
				property("browser.rabbit-api", "http://127.0.0.1:15672"), property("browser.rabbit-vhost", "/"),
				property("browser.storefront-metrics", "http://127.0.0.1:18086/actuator/prometheus"));
	}

	static String property(String name, String otherwise) {
		String value = System.getProperty(name);
		return (value == null || value.isBlank()) ? otherwise : value;
	}

	String gateway() {
		return gateway;
	}

	/** Products the catalog sells now, as {@code {id, name, ...}}. */
	List<JsonNode> availableProducts() {
		JsonNode page = get(gateway + "/api/products?size=48&sort=name,asc", null);
		List<JsonNode> products = new ArrayList<>();
		page.path("content").forEach(product -> {
			if (product.path("available").asBoolean()) {
				products.add(product);
			}
		});
		return products;
	}

	void setStock(String productId, int onHand) {
		send(HttpRequest.newBuilder(URI.create(gateway + "/api/inventory/" + productId))
			.header("Authorization", "Bearer " + token("admin"))
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString("{\"onHand\": " + onHand + "}")), 200, 201);
	}

	/** How many mails the local mail server holds for this address (it knows an address once a mail came for it). */
	int mailsTo(String email) {
		String inbox = send(HttpRequest.newBuilder(URI.create(
				mailApi + "/api/user/" + URLEncoder.encode(email, StandardCharsets.UTF_8) + "/messages/INBOX")), 200, 400);
		JsonNode mails = JSON.readTree(inbox);
		return mails.isArray() ? mails.size() : 0;
	}

	/** A counter of the storefront (its management port's Prometheus text), summed over its series; 0 if absent. */
	double storefrontCounter(String name) {
		String metrics = send(HttpRequest.newBuilder(URI.create(storefrontMetrics)), 200);
		return metrics.lines()
			.filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
			.mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum();
	}

	/** A message payment-service cannot read, on its command queue: it ends as a dead letter. */
	void publishPoisonToPaymentCommands(String marker) {
		String vhost = URLEncoder.encode(rabbitVhost, StandardCharsets.UTF_8);
		String body = "{\"routing_key\":\"payment.commands\",\"properties\":{\"content_type\":\"application/json\"},"
				+ "\"payload\":" + JSON.writeValueAsString("{\"poison\":\"" + marker + "\"}")
				+ ",\"payload_encoding\":\"string\"}";
		send(HttpRequest.newBuilder(URI.create(rabbitApi + "/api/exchanges/" + vhost + "/amq.default/publish"))
			.header("Authorization", "Basic " + Base64.getEncoder().encodeToString("guest:guest".getBytes()))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)), 200);
	}

	private String token(String user) {
		String form = "grant_type=password&client_id=shop-cli&username=" + user + "&password=" + user;
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(issuer + "/protocol/openid-connect/token"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form));
		return JSON.readTree(send(request, 200)).path("access_token").asString();
	}

	private JsonNode get(String uri, String token) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).GET();
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return JSON.readTree(send(request, 200));
	}

	private String send(HttpRequest.Builder request, int... expected) {
		try {
			HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
					HttpResponse.BodyHandlers.ofString());
			for (int status : expected) {
				if (response.statusCode() == status) {
					return response.body();
				}
			}
			throw new IllegalStateException(response.request().method() + " " + response.request().uri()
					+ " answered " + response.statusCode() + ": " + response.body());
		}
		catch (IOException failed) {
			throw new IllegalStateException(failed);
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(interrupted);
		}
	}

}

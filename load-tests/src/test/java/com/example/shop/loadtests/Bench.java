package com.example.shop.loadtests;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a run needs, made through the public API before the load starts, as a user would: customers of its own in
 * Keycloak (its admin API, the development master admin), their tokens (the development client shop-cli), and
 * products of its own with plenty of stock (the shop's admin), so a run depends on no demo data. Settings are
 * system properties: {@code gateway} (http://127.0.0.1:8080), {@code keycloak} (http://127.0.0.1:8180).
 */
final class Bench {

	static final String GATEWAY = System.getProperty("gateway", "http://127.0.0.1:8080");

	static final String KEYCLOAK = System.getProperty("keycloak", "http://127.0.0.1:8180");

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

	private Bench() {
	}

	/** {@code count} new customers of the realm, each with a fresh access token. */
	static List<String> customerTokens(int count) {
		String master = token("master", "admin-cli", "admin", "admin");
		List<String> tokens = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String username = "bench-" + RUN + "-" + i;
			String user = """
					{"username":"%s","email":"%s@example.com","emailVerified":true,"enabled":true,
					 "firstName":"Bench","lastName":"Customer %d",
					 "credentials":[{"type":"password","value":"%s","temporary":false}]}"""
				.formatted(username, username, i, username);
			send(post(KEYCLOAK + "/admin/realms/shop/users", user).header("Authorization", "Bearer " + master), 201);
			tokens.add(token("shop", "shop-cli", username, username));
		}
		return tokens;
	}

	/** The demo admin's token (the realm's admin role), for product and stock writes. */
	static String adminToken() {
		return token("shop", "shop-cli", "admin", "admin");
	}

	/** {@code count} products of this run, each with {@code stock} units on hand. */
	static List<String> products(String adminToken, int count, int stock) {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String product = """
					{"sku":"BENCH-%s-%d","name":"Bench product %d","description":"Made by the benchmark",
					 "category":"bench","price":9.99,"currency":"EUR"}""".formatted(RUN.toUpperCase(), i, i);
			String created = send(post(GATEWAY + "/api/products", product)
				.header("Authorization", "Bearer " + adminToken), 201);
			String id = field(created, "id");
			// The catalog announces a new product to inventory asynchronously: retried until inventory knows it.
			awaitStatus(HttpRequest.newBuilder(URI.create(GATEWAY + "/api/inventory/" + id))
				.header("Authorization", "Bearer " + adminToken)
				.header("Content-Type", "application/json")
				.PUT(HttpRequest.BodyPublishers.ofString("{\"onHand\":" + stock + "}")), 200, 201);
			ids.add(id);
		}
		return ids;
	}

	static String orderBody(String productId) {
		return "{\"items\":[{\"productId\":\"" + productId + "\",\"quantity\":1}],\"payment\":{\"token\":\"tok_ok\"}}";
	}

	static String newKey() {
		return UUID.randomUUID().toString();
	}

	private static String token(String realm, String client, String username, String password) {
		String form = "grant_type=password&client_id=" + client + "&username=" + encode(username) + "&password="
				+ encode(password);
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create(KEYCLOAK + "/realms/" + realm + "/protocol/openid-connect/token"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form));
		return field(send(request, 200), "access_token");
	}

	private static HttpRequest.Builder post(String url, String json) {
		return HttpRequest.newBuilder(URI.create(url))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json));
	}

	private static void awaitStatus(HttpRequest.Builder request, int... expected) {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		String last = "";
		while (System.nanoTime() < deadline) {
			HttpResponse<String> response = exchange(request);
			for (int status : expected) {
				if (response.statusCode() == status) {
					return;
				}
			}
			last = response.statusCode() + " " + response.body();
			sleep(500);
		}
		throw new IllegalStateException(request.build().uri() + " still answers " + last + " after 30 s");
	}

	private static String send(HttpRequest.Builder request, int expected) {
		HttpResponse<String> response = exchange(request);
		if (response.statusCode() != expected) {
			throw new IllegalStateException(request.build().method() + " " + request.build().uri() + " answered "
					+ response.statusCode() + ": " + response.body());
		}
		return response.body();
	}

	private static HttpResponse<String> exchange(HttpRequest.Builder request) {
		try {
			return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(request.build().uri() + ": " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** A top-level string field of a JSON object; enough for the few answers read here, no JSON library needed. */
	static String field(String json, String name) {
		Matcher matcher = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
		if (!matcher.find()) {
			throw new IllegalStateException("no \"" + name + "\" in " + json);
		}
		return matcher.group(1);
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}

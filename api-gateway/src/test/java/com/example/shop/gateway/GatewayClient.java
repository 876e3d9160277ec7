package com.example.shop.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plain JDK HTTP client calls to the gateway. The path is sent exactly as written (no normalising, no
 * re-encoding), which the path traversal tests rely on. {@link #as(String)} gives a client that sends a bearer
 * token with every request.
 */
final class GatewayClient {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final int port;

	private final String token;

	GatewayClient(int port) {
		this(port, null);
	}

	private GatewayClient(int port, String token) {
		this.port = port;
		this.token = token;
	}

	/** The same gateway, called with {@code Authorization: Bearer <token>} on every request. */
	GatewayClient as(String token) {
		return new GatewayClient(port, token);
	}

	HttpRequest.Builder request(String rawPath) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + port + rawPath)).timeout(Duration.ofSeconds(15));
	}

	HttpResponse<String> get(String rawPath, String... headers) {
		return send(request(rawPath).GET(), headers);
	}

	HttpResponse<String> send(String method, String rawPath, BodyPublisher body, String... headers) {
		return send(request(rawPath).method(method, body), headers);
	}

	HttpResponse<String> send(String method, String rawPath, String... headers) {
		return send(method, rawPath, BodyPublishers.noBody(), headers);
	}

	HttpResponse<String> send(HttpRequest.Builder request, String... headers) {
		if (token != null) {
			request.setHeader("Authorization", "Bearer " + token);
		}
		if (headers.length > 0) {
			request.headers(headers);
		}
		try {
			return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception ex) {
			throw new IllegalStateException("Call to the gateway failed", ex);
		}
	}

	static JsonNode json(HttpResponse<String> response) {
		return JSON.readTree(response.body());
	}

}

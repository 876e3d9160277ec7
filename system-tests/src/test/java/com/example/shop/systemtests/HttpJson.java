package com.example.shop.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.function.Supplier;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Plain HTTP and JSON, the way curl users meet the platform; with polling for eventual outcomes. */
final class HttpJson {

	private final HttpClient http;

	private final JsonMapper json = JsonMapper.builder().build();

	/** The caller's access token for every request, or null: anonymous. */
	private final Supplier<String> token;

	HttpJson() {
		this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1).build(),
				null);
	}

	private HttpJson(HttpClient http, Supplier<String> token) {
		this.http = http;
		this.token = token;
	}

	/** The same client, sending {@code token}'s current value as a bearer token. */
	HttpJson as(Supplier<String> token) {
		return new HttpJson(this.http, token);
	}

	HttpResponse<String> get(String url) {
		return send(HttpRequest.newBuilder(URI.create(url)));
	}

	HttpResponse<String> postJson(String url, String body, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (headers.length > 0) {
			request.headers(headers);
		}
		return send(request);
	}

	HttpResponse<String> putJson(String url, String body) {
		return send(HttpRequest.newBuilder(URI.create(url))
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(body)));
	}

	HttpResponse<String> send(HttpRequest.Builder request) {
		if (this.token != null) {
			request.setHeader("Authorization", "Bearer " + this.token.get());
		}
		try {
			return http.send(request.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	JsonNode read(HttpResponse<String> response) {
		return json.readTree(response.body());
	}

	JsonMapper mapper() {
		return json;
	}

	/** GETs {@code url} until the answer satisfies {@code wanted}; fails with the last answer and {@code context}. */
	HttpResponse<String> await(String url, Duration timeout, Predicate<HttpResponse<String>> wanted,
			Supplier<String> context) {
		return await(url, () -> get(url), timeout, wanted, context);
	}

	/** Sends {@code request} until the answer satisfies {@code wanted}; fails with the last answer and {@code context}. */
	HttpResponse<String> await(String what, Supplier<HttpResponse<String>> request, Duration timeout,
			Predicate<HttpResponse<String>> wanted, Supplier<String> context) {
		Instant deadline = Instant.now().plus(timeout);
		HttpResponse<String> last = null;
		while (Instant.now().isBefore(deadline)) {
			try {
				last = request.get();
				if (wanted.test(last)) {
					return last;
				}
			}
			catch (UncheckedIOException notReachableYet) {
				// a replica going away or coming up: ask again
			}
			ServiceProcess.sleep(Duration.ofMillis(300));
		}
		throw new AssertionError("no wanted answer from " + what + " within " + timeout + "; last: "
				+ (last == null ? "none" : last.statusCode() + " " + last.body()) + "\n" + context.get());
	}

}

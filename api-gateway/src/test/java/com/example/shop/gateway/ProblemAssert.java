package com.example.shop.gateway;

import java.net.http.HttpResponse;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks an answer is an RFC 9457 problem in the platform's shape. */
final class ProblemAssert {

	private ProblemAssert() {
	}

	static JsonNode assertProblem(HttpResponse<String> response, int status, String title) {
		assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/problem+json"));
		JsonNode problem = GatewayClient.json(response);
		assertThat(problem.path("status").asInt()).isEqualTo(status);
		assertThat(problem.path("title").asString()).isEqualTo(title);
		assertThat(problem.path("type").asString()).startsWith("https://shop.example.com/problems/");
		assertThat(problem.path("detail").asString()).isNotBlank();
		assertThat(problem.path("instance").asString()).startsWith("/");
		assertThat(response.body()).doesNotContain("Exception", "\tat ");
		// The id a user can quote is the one the response carries.
		assertThat(problem.path("requestId").asString())
			.isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
		return problem;
	}

	/** A problem read off a raw socket, written by the gateway's own filters: with the request id. */
	static JsonNode assertProblem(RawHttp.Response response, int status, String title) {
		JsonNode problem = assertProblemShape(response, status, title);
		assertThat(problem.path("instance").asString()).startsWith("/");
		assertThat(problem.path("requestId").asString()).isNotBlank().isEqualTo(response.header("X-Request-Id"));
		return problem;
	}

	/**
	 * A problem written below the application, for a request Reactor Netty could not parse: no request id
	 * and no instance are known there.
	 */
	static JsonNode assertProtocolProblem(RawHttp.Response response, int status, String title) {
		JsonNode problem = assertProblemShape(response, status, title);
		assertThat(problem.has("requestId")).isFalse();
		assertThat(problem.has("instance")).isFalse();
		return problem;
	}

	private static JsonNode assertProblemShape(RawHttp.Response response, int status, String title) {
		assertThat(response.status()).as("status of %s", response.body()).isEqualTo(status);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		JsonNode problem = response.json();
		assertThat(problem.path("status").asInt()).isEqualTo(status);
		assertThat(problem.path("title").asString()).isEqualTo(title);
		assertThat(problem.path("type").asString()).startsWith("https://shop.example.com/problems/");
		assertThat(problem.path("detail").asString()).isNotBlank();
		assertThat(response.body()).doesNotContain("Exception", "\tat ");
		return problem;
	}

}

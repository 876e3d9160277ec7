package com.example.shop.messaging.deadletter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin API over real HTTP, as an operator's tool would call it. */
public final class DeadLetterApi {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final RestTestClient client;

	public DeadLetterApi(RestTestClient client) {
		this.client = client;
	}

	/** GET /admin/dead-letters{query}, expecting 200 and a JSON array. */
	public List<JsonNode> list(String query) {
		String body = this.client.get()
			.uri("/admin/dead-letters" + query)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		JsonNode array = JSON.readTree(body);
		assertThat(array.isArray()).as(body).isTrue();
		List<JsonNode> letters = new ArrayList<>();
		array.forEach(letters::add);
		return letters;
	}

	/** The listed dead letter of one message id, if listed with {@code query}. */
	public Optional<JsonNode> listed(String query, String messageId) {
		return list(query).stream().filter((letter) -> messageId.equals(letter.path("messageId").asString())).findFirst();
	}

	public JsonNode one(String id) {
		return JSON.readTree(this.client.get()
			.uri("/admin/dead-letters/" + id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody());
	}

	public void replay(String id) {
		this.client.post().uri("/admin/dead-letters/" + id + "/replay").exchange().expectStatus().isAccepted();
	}

	public void discard(String id) {
		this.client.delete().uri("/admin/dead-letters/" + id).exchange().expectStatus().isNoContent();
	}

	/** Any request expected to answer a problem: its status, problem+json, and the problem's type. */
	public JsonNode problem(String method, String path, HttpStatus status) {
		String body = this.client.method(org.springframework.http.HttpMethod.valueOf(method))
			.uri(path)
			.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		JsonNode problem = JSON.readTree(body);
		assertThat(problem.path("status").asInt()).isEqualTo(status.value());
		return problem;
	}

}

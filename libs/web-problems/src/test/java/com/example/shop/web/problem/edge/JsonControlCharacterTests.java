package com.example.shop.web.problem.edge;

import java.util.List;
import java.util.Map;

import com.example.shop.web.problem.sample.SampleApplication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static com.example.shop.web.problem.edge.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Control characters inside JSON strings of a request body, through the service's own JsonMapper. */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JsonControlCharacterTests {

	@LocalServerPort
	int port;

	RawHttp http;

	@BeforeEach
	void connect() {
		this.http = new RawHttp(this.port);
	}

	@ParameterizedTest
	@ValueSource(strings = { "\\u0000", "gear\\u0000", "\\u0001", "\\u001b[31m", "\\u007f", "\\b", "\\f" })
	void controlCharacterInAStringNamesTheField(String name) {
		String body = "{\"name\": \"" + name + "\", \"price\": 1, \"quantity\": 1}";
		Map<String, Object> problem = assertProblem(this.http.send("POST", "/widgets", "application/json", body), 400,
				"validation", "Invalid request", "Field 'name' contains a control character", "/widgets");
		assertThat(problem.get("errors"))
			.isEqualTo(List.of(Map.of("field", "name", "message", "contains a control character")));
	}

	@Test
	void controlCharacterInANestedStringNamesItsPath() {
		String body = "{\"name\": \"gear\", \"price\": 1, \"quantity\": 1, \"parts\": [{\"name\": \"a\\u0000\", \"count\": 1}]}";
		assertProblem(this.http.send("POST", "/widgets", "application/json", body), 400, "validation",
				"Invalid request", "Field 'parts[0].name' contains a control character", "/widgets");
	}

	@Test
	void tabAndLineBreaksAreText() {
		String body = "{\"name\": \"a\\tb\\r\\nc\", \"price\": 1, \"quantity\": 1}";
		RawHttp.Response response = this.http.send("POST", "/widgets", "application/json", body);
		assertThat(response.status()).isEqualTo(201);
		assertThat(response.json()).containsEntry("name", "a\tb\r\nc");
	}

}

package com.example.shop.web.problem.edge;

import java.util.Map;

import com.example.shop.web.problem.ProblemTypes;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole problem+json contract of one response, so each test states every field it expects. */
final class ProblemAssertions {

	private ProblemAssertions() {
	}

	static Map<String, Object> assertProblem(RawHttp.Response response, int status, String type, String title,
			String detail, String instance) {
		assertThat(response.status()).as("status of %s", response.body()).isEqualTo(status);
		assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
		Map<String, Object> problem = response.json();
		assertThat(problem).containsEntry("type", ProblemTypes.BASE + type)
			.containsEntry("title", title)
			.containsEntry("status", status)
			.containsEntry("detail", detail)
			.containsEntry("instance", instance);
		return problem;
	}

}

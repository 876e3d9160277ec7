package com.example.shop.web.problem.edge;

import com.example.shop.web.problem.sample.SampleApplication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static com.example.shop.web.problem.edge.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dependency that fails is a 503 with Retry-After (the gateway's breaker counts it); a bug stays a 500 (the
 * breaker ignores it). Over real HTTP, because the gateway sees exactly these responses.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DependencyFailureTests {

	@LocalServerPort
	int port;

	RawHttp http;

	@BeforeEach
	void connect() {
		this.http = new RawHttp(this.port);
	}

	@ParameterizedTest
	@ValueSource(strings = { "no-connection", "query-timeout", "no-transaction", "wrapped" })
	void dependencyFailureIs503WithRetryAfter(String outage) {
		RawHttp.Response response = this.http.send("GET", "/outages/" + outage);
		assertProblem(response, 503, "service-unavailable", "Service Unavailable",
				"The service cannot reach a system it depends on. Retry in a few seconds.", "/outages/" + outage);
		assertThat(response.header("Retry-After")).isEqualTo("5");
		assertThat(response.body()).doesNotContain("secret", "Hikari", "Exception");
	}

	@Test
	void concurrentWriteIsNotAnOutage() {
		assertThat(this.http.send("GET", "/outages/concurrent-write").status()).isEqualTo(500);
	}

	@Test
	void bugStays500() {
		RawHttp.Response response = this.http.send("GET", "/widgets/boom");
		assertProblem(response, 500, "internal", "Internal Server Error",
				"The server could not complete the request. The error has been logged.", "/widgets/boom");
		assertThat(response.header("Retry-After")).isNull();
	}

}

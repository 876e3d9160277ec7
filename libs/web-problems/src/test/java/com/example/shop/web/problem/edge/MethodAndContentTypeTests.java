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

/** Methods no endpoint serves and bodies that do not say what they are, against a real Tomcat. */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MethodAndContentTypeTests {

	private static final String ALLOW = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

	private static final String VALID = "{\"name\": \"gear\", \"price\": 1, \"quantity\": 1}";

	@LocalServerPort
	int port;

	RawHttp http;

	@BeforeEach
	void connect() {
		this.http = new RawHttp(this.port);
	}

	@ParameterizedTest
	@ValueSource(strings = { "TRACE", "FOO", "PROPFIND", "CONNECT" })
	void methodOutsideTheRestSetIs405WithAllow(String method) {
		RawHttp.Response response = this.http.send(method, "/widgets");
		assertProblem(response, 405, "method-not-allowed", "Method Not Allowed",
				"The method " + method + " is not supported; use one of " + ALLOW, "/widgets");
		assertThat(response.header("Allow")).isEqualTo(ALLOW);
	}

	@Test
	void traceIsNotEchoed() {
		RawHttp.Response response = this.http.send("TRACE", "/widgets/search?q=secret-cookie");
		assertThat(response.status()).isEqualTo(405);
		assertThat(response.body()).doesNotContain("secret-cookie");
	}

	@ParameterizedTest
	@ValueSource(strings = { "*/*", "application/*", "application/*+json" })
	void wildcardContentTypeOfABodyIs415(String contentType) {
		assertProblem(this.http.send("POST", "/widgets", contentType, VALID), 415, "unsupported-media-type",
				"Unsupported Media Type",
				"The Content-Type of a request body must be a concrete media type such as application/json, not a wildcard",
				"/widgets");
	}

	@ParameterizedTest
	@ValueSource(strings = { "garbage", "application/", "/json", "*/json", "application/json; charset=no-such-charset",
			"application/json; charset=\"" })
	void unparseableContentTypeOfABodyIs415(String contentType) {
		assertProblem(this.http.send("POST", "/widgets", contentType, VALID), 415, "unsupported-media-type",
				"Unsupported Media Type", "The Content-Type header is not a valid media type", "/widgets");
	}

	@ParameterizedTest
	@ValueSource(strings = { "garbage/;;", "garbage", "text/html;q=x=y", "application/json, /" })
	void unparseableAcceptIs400WithAProblemBody(String accept) {
		// Without the check, content negotiation fails and even the error answer goes out with an empty body.
		RawHttp.Response response = this.http.sendBytes(("GET /widgets/search?q=x HTTP/1.1\r\nHost: localhost\r\n"
				+ "Accept: " + accept + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
		assertProblem(response, 400, "bad-request", "Bad Request",
				"The Accept header is not a valid list of media types; send e.g. application/json", "/widgets/search");
	}

	@Test
	void aParseableAcceptPassesThrough() {
		RawHttp.Response response = this.http.sendBytes(("GET /widgets/search?q=x HTTP/1.1\r\nHost: localhost\r\n"
				+ "Accept: application/json;q=0.9, */*;q=0.1\r\nConnection: close\r\n\r\n")
			.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
		assertThat(response.status()).isEqualTo(200);
	}

	@Test
	void concreteContentTypePassesThrough() {
		assertThat(this.http.send("POST", "/widgets", "application/json; charset=UTF-8", VALID).status())
			.isEqualTo(201);
	}

	@Test
	void wildcardContentTypeWithoutABodyIsNotTheFiltersBusiness() {
		assertThat(this.http.send("GET", "/widgets/search?q=x", "*/*", null).status()).isEqualTo(200);
	}

}

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
 * Bad percent-encodings and control characters in the request target, sent byte for byte to a real Tomcat.
 * The query is refused by the edge filter; a path that does not decode is refused by Tomcat itself, before any
 * filter, and answered by the library's error report valve: both as problem+json saying which part is wrong.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RequestTargetTests {

	private static final String BAD_Q = "The query parameter 'q' contains a percent-encoding that is malformed or not UTF-8";

	@LocalServerPort
	int port;

	RawHttp http;

	@BeforeEach
	void connect() {
		this.http = new RawHttp(this.port);
	}

	@ParameterizedTest
	@ValueSource(strings = { "%FF%FE", "%C0%80", "%ED%A0%80", "%c0%ae", "%G1", "abc%", "%E2%82" })
	void queryValueThatIsNotUtf8IsRefused(String value) {
		assertProblem(this.http.send("GET", "/widgets/search?q=" + value), 400, "invalid-encoding",
				"Invalid percent-encoding", BAD_Q, "/widgets/search");
	}

	@ParameterizedTest
	@ValueSource(strings = { "%00", "a%00b", "%01", "%09", "%0A", "%0D%0A", "%1B", "%7F" })
	void queryValueWithAControlCharacterIsRefused(String value) {
		assertProblem(this.http.send("GET", "/widgets/search?size=1&q=" + value), 400, "invalid-character",
				"Invalid character", "The query parameter 'q' contains a control character", "/widgets/search");
	}

	@Test
	void queryParameterNameIsCheckedToo() {
		assertProblem(this.http.send("GET", "/widgets/search?%FF=1&q=x"), 400, "invalid-encoding",
				"Invalid percent-encoding",
				"A query parameter name contains a percent-encoding that is malformed or not UTF-8", "/widgets/search");
		assertProblem(this.http.send("GET", "/widgets/search?q=x&a%00=1"), 400, "invalid-character",
				"Invalid character", "A query parameter name contains a control character", "/widgets/search");
	}

	@Test
	void oddParameterNameIsDescribedNotEchoed() {
		assertProblem(this.http.send("GET", "/widgets/search?%3Cscript%3E=%00"), 400, "invalid-character",
				"Invalid character", "A query parameter contains a control character", "/widgets/search");
	}

	@ParameterizedTest
	@ValueSource(strings = { "%0A", "%09", "%1B", "%7F" })
	void pathWithAControlCharacterIsRefusedByTheFilter(String segment) {
		assertProblem(this.http.send("GET", "/widgets/" + segment), 400, "invalid-character", "Invalid character",
				"The path contains a control character", "/widgets/" + segment);
	}

	@ParameterizedTest
	@ValueSource(strings = { "%FF%FE", "%C0%80", "%ED%A0%80", "%c0%ae" })
	void pathThatIsNotUtf8IsRefusedByTomcatAsProblemJson(String segment) {
		assertProblem(this.http.send("GET", "/widgets/" + segment), 400, "invalid-encoding", "Invalid percent-encoding",
				"The path contains a percent-encoding that is malformed or not UTF-8", "/widgets/" + segment);
	}

	@Test
	void encodedNulInThePathIsRefusedByTomcatAsProblemJson() {
		assertProblem(this.http.send("GET", "/widgets/%00"), 400, "invalid-character", "Invalid character",
				"The path contains a control character", "/widgets/%00");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/widgets/search?q[]=", "/widgets/search?q=a|b", "/widgets/search?q={}" })
	void requestLineTomcatCannotParseIsProblemJsonNotHtml(String target) {
		RawHttp.Response response = this.http.send("GET", target);
		assertProblem(response, 400, "bad-request", "Bad Request",
				"The request is not valid HTTP: the request line, path, query or a header is malformed "
						+ "(for example a character that must be percent-encoded, or a percent-encoding that is not UTF-8)",
				"/");
		assertThat(response.body()).doesNotContain("<html", "Tomcat");
	}

	@Test
	void rawControlByteInTheRequestLineIsProblemJson() {
		byte[] request = "GET /widgets/search?q=a\u0001b HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
			.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
		RawHttp.Response response = this.http.sendBytes(request);
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
		assertThat(response.json()).containsEntry("type", "https://shop.example.com/problems/bad-request");
	}

	@Test
	void wellFormedUtf8AndPlusPassThrough() {
		RawHttp.Response response = this.http.send("GET", "/widgets/search?q=caf%C3%A9+cr%C3%A8me&empty=");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.jsonList()).containsExactly("café crème");
	}

}

package com.example.shop.product.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.TestTokens;
import com.example.shop.testsupport.UsesInfrastructure;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a fuzzer sent the running catalog, each of which used to end in a 500 (PostgreSQL refusing a NUL,
 * Tomcat failing to decode a parameter, content negotiation choking on a wildcard): now a 4xx problem+json,
 * with the real database behind it. The hostile requests go through the JDK's HttpClient, which sends a URI
 * and headers as given; RestTestClient would re-encode the URI and replace a wildcard Content-Type.
 * <p>
 * With authentication in front of the writes, what the edge refuses (libs/web-problems' EdgeRequestFilter, the
 * first filter of all) is still refused with its own 4xx before any token is asked for; what passes the edge but
 * needs a token is a 401 without one, its body never read; nothing here is ever a 5xx.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.REDIS, Infrastructure.KAFKA, Infrastructure.TOKENS })
class HostileInputApiTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TestTokens tokens = TestTokens.issuer();

	private static final String PRODUCT = ProductSearchApiTests.FIRST_BOOK;

	private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	int port;

	@Autowired
	RestTestClient client;

	@Test
	void nulInTheSearchQueryIs400NotAPostgresError() throws Exception {
		HttpResponse<String> response = get("/api/products?q=%00");
		assertProblem(response, 400, "invalid-character", "Invalid character",
				"The query parameter 'q' contains a control character");
	}

	@Test
	void searchQueryThatIsNotUtf8Is400() throws Exception {
		HttpResponse<String> response = get("/api/products?q=%FF%FE");
		assertProblem(response, 400, "invalid-encoding", "Invalid percent-encoding",
				"The query parameter 'q' contains a percent-encoding that is malformed or not UTF-8");
	}

	@Test
	void wildcardContentTypeOnACreateIs415() throws Exception {
		HttpRequest request = HttpRequest.newBuilder(uri("/api/products"))
			.header("Content-Type", "*/*")
			.POST(HttpRequest.BodyPublishers.ofString(
					ProductWriteApiTests.json("FUZZ-0001", "Cups", "kitchen", "1.00", "EUR")))
			.build();
		assertProblem(HTTP.send(request, HttpResponse.BodyHandlers.ofString()), 415, "unsupported-media-type",
				"Unsupported Media Type",
				"The Content-Type of a request body must be a concrete media type such as application/json, not a wildcard");
	}

	@Test
	void nulInAProductNameIs400NamingTheField() {
		this.client.post()
			.uri("/api/products")
			.headers(headers -> headers.setBearerAuth(tokens.admin()))
			.contentType(MediaType.APPLICATION_JSON)
			.body(ProductWriteApiTests.json("FUZZ-0002", "\\u0000", "kitchen", "1.00", "EUR"))
			.exchange()
			.expectStatus()
			.isEqualTo(400)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/validation")
			.jsonPath("$.title").isEqualTo("Invalid request")
			.jsonPath("$.status").isEqualTo(400)
			.jsonPath("$.detail").isEqualTo("Field 'name' contains a control character")
			.jsonPath("$.instance").isEqualTo("/api/products")
			.jsonPath("$.errors[0].field").isEqualTo("name");
		// and nothing was stored
		this.client.get()
			.uri(b -> b.path("/api/products").queryParam("q", "FUZZ-0002").build())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.content").isEmpty();
	}

	@Test
	void ordinarySearchStillAnswers200() throws Exception {
		HttpResponse<String> response = get("/api/products?q=caf%C3%A9+java");
		assertThat(response.statusCode()).isEqualTo(200);
		this.client.get()
			.uri(b -> b.path("/api/products").queryParam("q", "java").build())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.content[0].name").isEqualTo("Effective Java");
	}

	@Test
	void whatTheEdgeRefusesOnAdminEndpointsIsRefusedBeforeAnyTokenIsAskedFor() throws Exception {
		HttpResponse<String> trace = send(HttpRequest.newBuilder(uri("/api/products/" + PRODUCT))
			.method("TRACE", HttpRequest.BodyPublishers.noBody()));
		assertProblem(trace, 405, "method-not-allowed", "Method Not Allowed",
				"The method TRACE is not supported; use one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
		assertThat(trace.headers().firstValue(HttpHeaders.ALLOW)).hasValue("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");

		assertProblem(send(HttpRequest.newBuilder(uri("/api/products/" + PRODUCT))
			.header("Content-Type", "application/*")
			.PUT(HttpRequest.BodyPublishers.ofString(
					ProductWriteApiTests.json("FUZZ-0003", "Cups", "kitchen", "1.00", "EUR")))), 415,
				"unsupported-media-type", "Unsupported Media Type",
				"The Content-Type of a request body must be a concrete media type such as application/json, not a wildcard");

		assertProblem(send(HttpRequest.newBuilder(uri("/api/products/" + PRODUCT + "?reason=%00")).DELETE()), 400,
				"invalid-character", "Invalid character", "The query parameter 'reason' contains a control character");

		assertProblem(send(HttpRequest.newBuilder(uri("/admin/dead-letters?status=%FF")).GET()), 400,
				"invalid-encoding", "Invalid percent-encoding",
				"The query parameter 'status' contains a percent-encoding that is malformed or not UTF-8");

		// and the product is still there
		this.client.get().uri("/api/products/{id}", PRODUCT).exchange().expectStatus().isOk();
	}

	@Test
	void aHostileBodyOnAWriteWithoutATokenIs401AndIsNeverRead() throws Exception {
		List<HttpRequest.Builder> requests = List.of(
				HttpRequest.newBuilder(uri("/api/products"))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(
							ProductWriteApiTests.json("FUZZ-0004", "\\u0000", "kitchen", "1.00", "EUR"))),
				HttpRequest.newBuilder(uri("/api/products"))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString("{\"sku\": \"FUZZ-0005\", \"name\": ")),
				HttpRequest.newBuilder(uri("/api/products"))
					.header("Content-Type", "text/plain")
					.POST(HttpRequest.BodyPublishers.ofString("sku=FUZZ-0006")),
				HttpRequest.newBuilder(uri("/api/products/" + PRODUCT))
					.header("Content-Type", "application/json")
					.PUT(HttpRequest.BodyPublishers.ofString("{\"price\": 1e400}")),
				HttpRequest.newBuilder(uri("/api/products/not-a-uuid")).DELETE(),
				HttpRequest.newBuilder(uri("/api/products/" + PRODUCT))
					.header("Content-Type", "application/json")
					.method("PATCH", HttpRequest.BodyPublishers.ofString("{}")));
		for (HttpRequest.Builder request : requests) {
			HttpResponse<String> response = send(request);
			assertProblem(response, 401, "unauthorized", "Unauthorized",
					"This operation needs a bearer token from the shop realm (Authorization: Bearer ...)");
			assertThat(response.headers().firstValue(HttpHeaders.WWW_AUTHENTICATE)).hasValueSatisfying(
					challenge -> assertThat(challenge).startsWith("Bearer"));
		}
		this.client.get()
			.uri(b -> b.path("/api/products").queryParam("q", "FUZZ-").build())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.content").isEmpty();
	}

	/**
	 * Targets Spring Security's firewall refuses (a semicolon, an encoded percent sign or dot, an empty or a dot
	 * segment), on the anonymous read and on an admin write, with and without a token: 400, never a 5xx, never
	 * let through to an endpoint.
	 */
	@Test
	void pathsTheFirewallRefusesAre400WithOrWithoutAToken() throws Exception {
		List<String> targets = List.of("/api/products/" + PRODUCT + ";jsessionid=1", "/api/products/%25",
				"/api/products//" + PRODUCT, "/api/products/./" + PRODUCT, "/api/products/%2e%2e/" + PRODUCT,
				"/api/products/..;/admin/dead-letters");
		for (String target : targets) {
			for (String method : List.of("GET", "DELETE")) {
				for (String token : new String[] { null, tokens.admin() }) {
					HttpRequest.Builder request = HttpRequest.newBuilder(uri(target))
						.method(method, HttpRequest.BodyPublishers.noBody());
					if (token != null) {
						request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
					}
					assertThat(send(request).statusCode()).as("%s %s %s", method, target,
							(token != null) ? "as admin" : "without a token").isEqualTo(400);
				}
			}
		}
		this.client.get().uri("/api/products/{id}", PRODUCT).exchange().expectStatus().isOk();
	}

	private HttpResponse<String> get(String target) throws IOException, InterruptedException {
		return HTTP.send(HttpRequest.newBuilder(uri(target)).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String target) {
		return URI.create("http://localhost:" + this.port + target);
	}

	@SuppressWarnings("unchecked")
	private static void assertProblem(HttpResponse<String> response, int status, String type, String title,
			String detail) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		Map<String, Object> problem = JSON.readValue(response.body(), Map.class);
		assertThat(problem).containsEntry("type", "https://shop.example.com/problems/" + type)
			.containsEntry("title", title)
			.containsEntry("status", status)
			.containsEntry("detail", detail)
			.containsEntry("instance", response.uri().getRawPath());
	}

}

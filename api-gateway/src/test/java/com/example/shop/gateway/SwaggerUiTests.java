package com.example.shop.gateway;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.example.shop.gateway.RecordingDownstream.Received;
import com.example.shop.gateway.RecordingDownstream.Reply;

import static com.example.shop.gateway.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one Swagger UI at /swagger-ui, without a token: its page with a policy that lets it load and log in, its
 * configuration listing every service's description, and each description fetched from its own service through
 * its route, against a real downstream server per service that answers with its own name.
 */
@GatewayTest
class SwaggerUiTests {

	private static final List<String> SERVICES = List.of("product-service", "inventory-service", "order-service",
			"payment-service", "notification-service");

	private static final Map<String, RecordingDownstream> services = new LinkedHashMap<>();

	static {
		SERVICES.forEach(service -> services.put(service, RecordingDownstream.start()));
	}

	@DynamicPropertySource
	static void registerServices(DynamicPropertyRegistry registry) {
		services.forEach((service, downstream) -> registry
			.add("spring.cloud.discovery.client.simple.instances." + service + "[0].uri", downstream::uri));
		Tokens.trustTestIssuer(registry);
	}

	@AfterAll
	static void stopServices() {
		services.values().forEach(RecordingDownstream::close);
	}

	@LocalServerPort
	int port;

	private GatewayClient anonymous;

	@BeforeEach
	void setUp() {
		this.anonymous = new GatewayClient(this.port);
		services.forEach((service, downstream) -> {
			downstream.reset();
			downstream.answer(request -> Reply.json(200, "{\"info\":{\"title\":\"" + service + "\"}}"));
		});
	}

	@Test
	void theUiAnswersWithoutATokenWithAPolicyThatLetsItLoadAndLogIn() {
		HttpResponse<String> entry = this.anonymous.get("/swagger-ui");
		assertThat(entry.statusCode()).isBetween(300, 399);
		assertThat(entry.headers().firstValue("Location")).hasValueSatisfying(
				location -> assertThat(URI.create(location).getPath()).isEqualTo("/swagger-ui/index.html"));

		HttpResponse<String> page = this.anonymous.get("/swagger-ui/index.html");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("text/html"));
		assertThat(page.body()).contains("<div id=\"swagger-ui\"></div>", "swagger-initializer.js");
		String realm = URI.create(Tokens.ISSUER.issuerUri()).resolve("/").toString().replaceAll("/$", "");
		assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'none'; "
				+ "script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' "
				+ realm + "; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
		assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");

		HttpResponse<String> initializer = this.anonymous.get("/swagger-ui/swagger-initializer.js");
		assertThat(initializer.statusCode()).isEqualTo(200);
		assertThat(initializer.body()).contains("/v3/api-docs/swagger-config", "swagger-ui",
				"usePkceWithAuthorizationCodeGrant");
		assertThat(this.anonymous.get("/swagger-ui/oauth2-redirect.html").statusCode()).isEqualTo(200);
	}

	@Test
	void theConfigurationListsEveryServicesDescriptionAtItsRoute() {
		HttpResponse<String> answer = this.anonymous.get("/v3/api-docs/swagger-config");

		assertThat(answer.statusCode()).isEqualTo(200);
		JsonNode config = GatewayClient.json(answer);
		assertThat(config.path("urls").valueStream()
			.map(url -> url.path("name").asString() + " at " + url.path("url").asString()))
			.containsExactlyInAnyOrderElementsOf(
					SERVICES.stream().map(service -> service + " at /v3/api-docs/" + service).toList());
		assertThat(config.path("urls.primaryName").asString()).isEqualTo("product-service");
		assertThat(config.path("validatorUrl").asString()).as("no description sent to an online validator")
			.isEqualTo("none");
		assertThat(config.path("oauth2RedirectUrl").asString())
			.isEqualTo("http://localhost:" + this.port + "/swagger-ui/oauth2-redirect.html");
		services.values().forEach(downstream -> assertThat(downstream.received()).isEmpty());
	}

	@Test
	void eachDescriptionIsFetchedWithoutATokenFromItsOwnService() {
		for (String service : SERVICES) {
			HttpResponse<String> answer = this.anonymous.get("/v3/api-docs/" + service);

			assertThat(answer.statusCode()).as(service).isEqualTo(200);
			assertThat(GatewayClient.json(answer).at("/info/title").asString()).isEqualTo(service);
			assertThat(services.get(service).received()).extracting(Received::method, Received::pathAndQuery)
				.containsExactly(org.assertj.core.groups.Tuple.tuple("GET", "/v3/api-docs"));
		}
		services.values().forEach(downstream -> assertThat(downstream.received()).hasSize(1));
	}

	@Test
	void aNameThatIsNoServiceIsTheGatewaysProblemAndTheGatewayDescribesNothingOfItsOwn() {
		assertProblem(this.anonymous.get("/v3/api-docs/evil-service"), 404, "Not found");
		assertProblem(this.anonymous.as(Tokens.admin()).get("/v3/api-docs"), 404, "Not found");
		assertProblem(this.anonymous.get("/v3/api-docs"), 401, "Unauthorized");
		assertProblem(this.anonymous.get("/swagger-ui/no-such-file.js"), 404, "Not found");
		services.values().forEach(downstream -> assertThat(downstream.received()).isEmpty());
	}

}

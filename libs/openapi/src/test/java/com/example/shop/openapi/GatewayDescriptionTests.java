package com.example.shop.openapi;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service's description as springdoc serves it with this library, fetched without a token: the gateway as the
 * server, the realm's login, the dead letters where the gateway exposes them, and the problem+json refusals on
 * each operation, the service's own and the platform's.
 */
@SpringBootTest(classes = WidgetApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=widget-service",
				"shop.security.issuer-uri=https://auth.example.com/realms/shop" })
@AutoConfigureRestTestClient
class GatewayDescriptionTests {

	@Autowired
	RestTestClient client;

	private JsonNode description;

	@BeforeEach
	void fetchTheDescriptionAnonymously() {
		String body = this.client.get().uri("/v3/api-docs").exchange().expectStatus().isOk()
			.expectBody(String.class).returnResult().getResponseBody();
		this.description = JsonMapper.shared().readTree(body);
	}

	@Test
	void itIsOpenApi30WhichTheBreakingChangeCheckCompares() {
		assertThat(this.description.path("openapi").asString()).startsWith("3.0.");
	}

	@Test
	void theOneServerIsTheGateway() {
		assertThat(this.description.path("servers")).hasSize(1);
		assertThat(this.description.at("/servers/0/url").asString()).isEqualTo("http://localhost:8080");
	}

	@Test
	void theRealmsLoginAndBearerTokensAreTheSecuritySchemesOfEveryOperationButTheAnonymousOnes() {
		JsonNode schemes = this.description.at("/components/securitySchemes");
		assertThat(schemes.at("/keycloak/flows/authorizationCode/authorizationUrl").asString())
			.isEqualTo("https://auth.example.com/realms/shop/protocol/openid-connect/auth");
		assertThat(schemes.at("/keycloak/flows/authorizationCode/tokenUrl").asString())
			.isEqualTo("https://auth.example.com/realms/shop/protocol/openid-connect/token");
		assertThat(schemes.at("/bearer/scheme").asString()).isEqualTo("bearer");
		assertThat(this.description.path("security").toString()).isEqualTo("[{\"keycloak\":[]},{\"bearer\":[]}]");

		assertThat(operation("/api/widgets/{id}", "get").path("security").isArray()).isTrue();
		assertThat(operation("/api/widgets/{id}", "get").path("security")).isEmpty();
		assertThat(operation("/api/widgets", "post").has("security")).as("the document's requirements apply").isFalse();
	}

	@Test
	void deadLettersAreWhereTheGatewayExposesThem() {
		assertThat(this.description.path("paths").propertyNames()).containsExactlyInAnyOrder("/api/widgets",
				"/api/widgets/{id}", "/api/admin/widget-service/dead-letters",
				"/api/admin/widget-service/dead-letters/{id}");
	}

	@Test
	void everyOperationAnswersItsRefusalsAsProblems() {
		assertThat(responses("/api/widgets/{id}", "get")).containsExactlyInAnyOrder("200", "400", "401", "404", "429");
		assertThat(responses("/api/widgets", "post")).containsExactlyInAnyOrder("201", "400", "401", "403", "409",
				"413", "415", "429");
		JsonNode conflict = operation("/api/widgets", "post").at("/responses/409");
		assertThat(conflict.path("description").asString()).isEqualTo("A widget of this name exists");
		assertThat(conflict.at("/content/application~1problem+json/schema/$ref").asString())
			.isEqualTo("#/components/schemas/Problem");
		assertThat(operation("/api/widgets", "post").at("/responses/429/$ref").asString())
			.isEqualTo("#/components/responses/TooManyRequests");
		JsonNode tooMany = this.description.at("/components/responses/TooManyRequests");
		assertThat(tooMany.at("/content/application~1problem+json/schema/$ref").asString())
			.isEqualTo("#/components/schemas/Problem");
		assertThat(tooMany.at("/headers/Retry-After").isObject()).isTrue();
		assertThat(this.description.at("/components/schemas/Problem/properties").propertyNames())
			.containsExactlyInAnyOrder("type", "title", "status", "detail", "instance", "errors", "requestId");
	}

	@Test
	void theCallerIsNoParameterAndTheServicesInfoIsItsOwn() {
		assertThat(operation("/api/widgets", "post").has("parameters")).isFalse();
		assertThat(this.description.at("/info/title").asString()).isEqualTo("Widgets");
		assertThat(this.description.at("/info/version").asString()).isEqualTo("2.1.0");
	}

	private JsonNode operation(String path, String method) {
		return this.description.path("paths").path(path).path(method);
	}

	private java.util.Collection<String> responses(String path, String method) {
		return operation(path, method).path("responses").propertyNames();
	}

}

package com.example.shop.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real Keycloak with deploy/keycloak/realm-shop.json issues the tokens the services are built to accept: the
 * demo users' fixed ids as {@code sub}, their realm roles, their email, the audience {@code shop-api}, this
 * server's issuer; the service clients' scopes by client credentials; and it refuses wrong credentials.
 */
class KeycloakServerTests {

	private static final String ALICE = "2f1c6a2e-5b1d-4c47-9a51-a11ce0000001";

	private static final String BOB = "2f1c6a2e-5b1d-4c47-9a51-b0b000000002";

	private static final String ADMIN = "2f1c6a2e-5b1d-4c47-9a51-ad0000000003";

	private static KeycloakServer keycloak;

	@BeforeAll
	static void startKeycloak() {
		keycloak = TestInfrastructure.keycloak();
	}

	@Test
	void alicesTokenCarriesHerFixedIdHerRoleHerEmailTheAudienceAndTheIssuer() {
		DocumentContext claims = claims(keycloak.passwordToken("alice", "alice"));

		assertThat(claims.read("$.sub", String.class)).isEqualTo(ALICE);
		assertThat(roles(claims)).containsExactly("customer");
		assertThat(audience(claims)).contains("shop-api");
		assertThat(claims.read("$.email", String.class)).isEqualTo("alice@example.com");
		assertThat(claims.read("$.email_verified", Boolean.class)).isTrue();
		assertThat(claims.read("$.iss", String.class)).isEqualTo(keycloak.issuerUri());
		assertThat(claims.read("$.azp", String.class)).isEqualTo("shop-cli");
		assertThat(claims.read("$.exp", Long.class) - claims.read("$.iat", Long.class)).as("access token lifespan")
			.isEqualTo(300);
	}

	@Test
	void bobIsAnotherCustomerWithAFixedIdOfHisOwn() {
		DocumentContext claims = claims(keycloak.passwordToken("bob", "bob"));

		assertThat(claims.read("$.sub", String.class)).isEqualTo(BOB);
		assertThat(roles(claims)).containsExactly("customer");
		assertThat(claims.read("$.email", String.class)).isEqualTo("bob@example.com");
	}

	@Test
	void theAdminHasTheAdminRoleAndNoCustomerRole() {
		DocumentContext claims = claims(keycloak.passwordToken("admin", "admin"));

		assertThat(claims.read("$.sub", String.class)).isEqualTo(ADMIN);
		assertThat(roles(claims)).containsExactly("admin");
		assertThat(audience(claims)).contains("shop-api");
		assertThat(claims.read("$.email", String.class)).isEqualTo("admin@example.com");
	}

	@Test
	void orderServiceGetsItsScopesAndTheAudienceByClientCredentials() {
		DocumentContext claims = claims(keycloak.clientCredentialsToken("order-service", "order-service-dev-secret"));

		assertThat(scopes(claims)).contains("catalog.read", "inventory.read").doesNotContain("orders.read");
		assertThat(audience(claims)).contains("shop-api");
		assertThat(claims.read("$.azp", String.class)).isEqualTo("order-service");
		assertThat(claims.read("$.iss", String.class)).isEqualTo(keycloak.issuerUri());
		assertThat(claims.read("$", Map.class)).as("a service account carries scopes, no roles")
			.doesNotContainKey("realm_access");
	}

	@Test
	void eachServiceClientGetsOnlyItsOwnScopes() {
		assertThat(scopes(claims(keycloak.clientCredentialsToken("inventory-service", "inventory-service-dev-secret"))))
			.contains("catalog.read")
			.doesNotContain("inventory.read", "orders.read");
		assertThat(scopes(claims(
				keycloak.clientCredentialsToken("notification-service", "notification-service-dev-secret"))))
			.contains("orders.read")
			.doesNotContain("catalog.read", "inventory.read");
	}

	@Test
	void aWrongClientSecretIsRefusedWith401() {
		assertThatThrownBy(() -> keycloak.clientCredentialsToken("order-service", "not-the-secret"))
			.isInstanceOfSatisfying(KeycloakServer.TokenRefusedException.class,
					refused -> assertThat(refused.status()).isEqualTo(401));
	}

	@Test
	void aWrongPasswordIsRefused() {
		KeycloakServer.TokenResponse answer = keycloak.requestToken(Map.of("grant_type", "password", "client_id",
				"shop-cli", "username", "alice", "password", "not-alices-password"), null, null);

		assertThat(answer.status()).isEqualTo(401);
		assertThat(JsonPath.parse(answer.body()).read("$.error", String.class)).isEqualTo("invalid_grant");
		assertThatThrownBy(() -> keycloak.passwordToken("alice", "not-alices-password"))
			.isInstanceOf(KeycloakServer.TokenRefusedException.class);
	}

	@Test
	void onlyTheDevelopmentClientHasThePasswordGrant() {
		KeycloakServer.TokenResponse answer = keycloak.requestToken(Map.of("grant_type", "password", "client_id",
				"shop-web", "username", "alice", "password", "alice"), null, null);

		assertThat(answer.status()).isEqualTo(400);
		assertThat(JsonPath.parse(answer.body()).read("$.error", String.class)).isEqualTo("unauthorized_client");
	}

	@Test
	void theRealmPublishesItsIssuerTokenEndpointAndKeys() throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		DocumentContext discovery = JsonPath.parse(http
			.send(HttpRequest.newBuilder(URI.create(keycloak.issuerUri() + "/.well-known/openid-configuration")).build(),
					HttpResponse.BodyHandlers.ofString())
			.body());
		assertThat(discovery.read("$.issuer", String.class)).isEqualTo(keycloak.issuerUri());
		assertThat(discovery.read("$.token_endpoint", String.class)).isEqualTo(keycloak.tokenUri());
		assertThat(discovery.read("$.jwks_uri", String.class)).isEqualTo(keycloak.jwkSetUri());

		DocumentContext keys = JsonPath.parse(http
			.send(HttpRequest.newBuilder(URI.create(keycloak.jwkSetUri())).build(), HttpResponse.BodyHandlers.ofString())
			.body());
		List<String> algorithms = keys.read("$.keys[*].alg");
		assertThat(algorithms).contains("RS256");
	}

	private static DocumentContext claims(String jwt) {
		String[] parts = jwt.split("\\.");
		assertThat(parts).as("a signed JWT: header, payload, signature").hasSize(3);
		return JsonPath.parse(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
	}

	private static List<String> roles(DocumentContext claims) {
		return claims.read("$.realm_access.roles");
	}

	/** {@code aud} is a string for one audience and an array for several. */
	private static List<String> audience(DocumentContext claims) {
		Object aud = claims.read("$.aud");
		if (aud instanceof List<?> list) {
			return list.stream().map(String::valueOf).toList();
		}
		return List.of(String.valueOf(aud));
	}

	private static List<String> scopes(DocumentContext claims) {
		return List.of(claims.read("$.scope", String.class).split(" "));
	}

}

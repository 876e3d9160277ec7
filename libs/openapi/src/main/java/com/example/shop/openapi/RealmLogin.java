package com.example.shop.openapi;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.security.OAuthFlow;
import io.swagger.v3.oas.models.security.OAuthFlows;
import io.swagger.v3.oas.models.security.Scopes;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

/**
 * How a client gets and sends a token, as security schemes: Keycloak's realm {@code shop} by authorization code
 * (what Swagger UI logs in with, with PKCE, as the realm's public client {@code swagger-ui}), or any bearer token
 * of the realm (from {@code ./platform token alice}, or a client of its own). Either is accepted on every operation
 * but those that declare none ({@code @SecurityRequirements} with nothing in it: the anonymous reads).
 */
final class RealmLogin {

	static final String KEYCLOAK = "keycloak";

	static final String BEARER = "bearer";

	private RealmLogin() {
	}

	static void addSchemes(Components components, URI issuer) {
		String endpoints = issuer + "/protocol/openid-connect";
		components.addSecuritySchemes(KEYCLOAK, new SecurityScheme().type(SecurityScheme.Type.OAUTH2)
			.description("A login at Keycloak's realm shop (the demo users: alice, bob, admin)")
			.flows(new OAuthFlows().authorizationCode(new OAuthFlow().authorizationUrl(endpoints + "/auth")
				.tokenUrl(endpoints + "/token")
				// The realm puts the roles and the audience shop-api into every token: nothing to ask for.
				.scopes(new Scopes()))));
		components.addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
			.scheme("bearer")
			.bearerFormat("JWT")
			.description("An access token of the realm shop (issuer " + issuer + ", audience shop-api, RS256)"));
	}

	/** Either scheme, on every operation that declares no requirements of its own. */
	static void requireEither(OpenAPI openApi) {
		openApi.setSecurity(new ArrayList<>(
				List.of(new SecurityRequirement().addList(KEYCLOAK), new SecurityRequirement().addList(BEARER))));
	}

}

package com.example.shop.openapi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import org.springdoc.core.customizers.OpenApiCustomizer;

import com.example.shop.security.SecuritySettings;

/**
 * What every service's description says the same way, because it is the platform's and not the service's: the
 * gateway as the one server, the paths as the gateway exposes them ({@link GatewayPaths}), the realm's login and
 * bearer tokens ({@link RealmLogin}) and the problem+json errors of each operation ({@link ProblemResponses}). The
 * service describes the rest: its title and version ({@code @OpenAPIDefinition}), and per operation a summary, its
 * own refusals and, for an anonymous read, no security requirement.
 */
class GatewayDescription implements OpenApiCustomizer {

	private final OpenApiSettings settings;

	private final SecuritySettings security;

	private final String service;

	GatewayDescription(OpenApiSettings settings, SecuritySettings security, String service) {
		this.settings = settings;
		this.security = security;
		this.service = service;
	}

	@Override
	public void customise(OpenAPI openApi) {
		openApi.setServers(new ArrayList<>(List.of(new Server().url(this.settings.gatewayUrl().toString())
			.description("The gateway: every client call goes through it"))));
		if (openApi.getPaths() != null) {
			openApi.setPaths(GatewayPaths.of(openApi.getPaths(), this.service));
		}
		if (openApi.getTags() != null) {
			// springdoc lists them in the order it met the controllers, which may differ from one start to the next.
			List<Tag> tags = new ArrayList<>(openApi.getTags());
			tags.sort(Comparator.comparing(Tag::getName));
			openApi.setTags(tags);
		}
		Components components = Objects.requireNonNullElseGet(openApi.getComponents(), Components::new);
		openApi.setComponents(components);
		RealmLogin.addSchemes(components, this.security.issuerUri());
		RealmLogin.requireEither(openApi);
		ProblemResponses.addComponents(components);
		if (openApi.getPaths() != null) {
			openApi.getPaths().forEach((path, item) -> item.readOperations().forEach(operation -> {
				boolean anonymous = operation.getSecurity() != null && operation.getSecurity().isEmpty();
				ProblemResponses.describe(operation, anonymous, path.contains("{"));
			}));
		}
	}

}

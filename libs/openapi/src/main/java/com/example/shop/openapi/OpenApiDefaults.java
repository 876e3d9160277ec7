package com.example.shop.openapi;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The library's settings, the same in every service, at the lowest precedence (a service may override
 * any of them; all are visible in {@code /actuator/env}):
 * <ul>
 * <li>the gateway's address from {@code SHOP_GATEWAY_URL}, so a deployment sets it once for every service;</li>
 * <li>OpenAPI 3.0, not springdoc's default 3.1: tools/openapi/check's openapi-diff compares 3.1's arrays without
 * looking into their items (a list's element losing a property went unnoticed), and Swagger UI reads both;</li>
 * <li>keys in alphabetical order, so the description is the same text on every run and docs/openapi/ diffs show
 * only real changes;</li>
 * <li>JSON for answers whose mapping names no media type, instead of springdoc's {@code *}{@code /*};</li>
 * <li>no responses copied from the exception handlers onto every operation: {@link ProblemResponses} puts the
 * problem+json errors each operation answers on it, and the handler's catch-all would only add noise.</li>
 * </ul>
 */
public class OpenApiDefaults implements EnvironmentPostProcessor {

	static final String SOURCE_NAME = "shopOpenApiDefaults";

	private static final Map<String, Object> DEFAULTS = Map.of(
			"shop.openapi.gateway-url", "${SHOP_GATEWAY_URL:http://localhost:8080}",
			"springdoc.api-docs.version", "openapi_3_0",
			"springdoc.writer-with-order-by-keys", "true",
			"springdoc.default-produces-media-type", "application/json",
			"springdoc.override-with-generic-response", "false");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getPropertySources().contains(SOURCE_NAME)) {
			environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, DEFAULTS));
		}
	}

}

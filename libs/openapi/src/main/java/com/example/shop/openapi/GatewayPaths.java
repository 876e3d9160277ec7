package com.example.shop.openapi;

import io.swagger.v3.oas.models.Paths;

/**
 * The paths as clients call them through the gateway. Its routes pass {@code /api/**} on unchanged and rewrite one
 * family: a service's dead letters ({@code /admin/dead-letters/**}, libs/messaging) are
 * {@code /api/admin/<service>/dead-letters/**} at the gateway (api-gateway's application.yml).
 */
final class GatewayPaths {

	static final String DEAD_LETTERS = "/admin/dead-letters";

	private GatewayPaths() {
	}

	static Paths of(Paths served, String service) {
		Paths exposed = new Paths();
		served.forEach((path, item) -> exposed.addPathItem(
				path.startsWith(DEAD_LETTERS) ? "/api/admin/" + service + path.substring("/admin".length()) : path,
				item));
		exposed.setExtensions(served.getExtensions());
		return exposed;
	}

}

package com.example.shop.gateway.apidocs;

import java.net.URI;

import reactor.core.publisher.Mono;

import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * The Swagger UI's pages (springdoc, {@code /swagger-ui/**}) get a Content-Security-Policy of their own. The
 * gateway's (GatewaySecurity: {@code default-src 'none'}) lets an API answer load nothing, which would leave the UI
 * blank; this one lets the page load its own scripts, styles and images, call the gateway (the descriptions, "Try it
 * out") and the realm's token endpoint (the login's code exchange, from the browser), and nothing else. Set before
 * the answer is written, so GatewaySecurity's header writer, which adds its policy only where an answer has none,
 * leaves it; the other security headers (never framed, no referrer, no sniffing) stay as on every answer.
 * <p>
 * {@code style-src 'unsafe-inline'}: Swagger UI sets style attributes on its elements. Its scripts are files of
 * the page's own origin; none is inline.
 */
public class SwaggerUiHeaders implements WebFilter {

	static final String PATH = "/swagger-ui";

	static final String CONTENT_SECURITY_POLICY = "Content-Security-Policy";

	private final String policy;

	public SwaggerUiHeaders(URI issuer) {
		this.policy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
				+ "connect-src 'self' " + origin(issuer) + "; form-action 'self'; base-uri 'none'; "
				+ "frame-ancestors 'none'";
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		if (path.equals(PATH) || path.startsWith(PATH + "/")) {
			exchange.getResponse().getHeaders().set(CONTENT_SECURITY_POLICY, this.policy);
		}
		return chain.filter(exchange);
	}

	/** The realm's origin: where the browser posts the login's code for tokens. */
	private static String origin(URI issuer) {
		return issuer.getScheme() + "://" + issuer.getRawAuthority();
	}

}

package com.example.shop.gateway.security;

import java.time.Duration;

import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.gateway.config.GlobalCorsProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.web.reactive.function.client.WebClient;

import com.example.shop.gateway.protection.ProblemCorsProcessor;
import com.example.shop.security.KeycloakAuthorities;
import com.example.shop.security.SecuritySettings;
import com.example.shop.security.TokenChecks;

/**
 * The gateway as an OAuth2 resource server of Keycloak's realm {@code shop}: the first of two checks of every
 * token (each service checks it again, so a request that goes around the gateway is refused there too). The
 * gateway refuses what the public contract does not allow before a service is called, and passes the token on
 * unchanged in {@code Authorization}.
 * <p>
 * Who may do what, in the order the rules are tried:
 * <ul>
 * <li>anybody: {@code GET /api/products}, {@code GET /api/products/{id}}, {@code GET /api/inventory/{productId}},
 * the gateway's probes on the public port ({@code /livez}, {@code /readyz}), its own {@code /actuator} (health,
 * info, prometheus), which is served on the management port only, never published to users, and the Swagger UI
 * with the services' OpenAPI descriptions ({@code GET /swagger-ui/**}, {@code GET /v3/api-docs/*});</li>
 * <li>role {@code admin}: product writes ({@code POST/PUT/PATCH/DELETE /api/products/**}), stock writes
 * ({@code /api/inventory/**}, of which {@code PUT} exists) and everything under {@code /api/admin/**}; a customer
 * gets 403;</li>
 * <li>the storefront's pages ({@code /}, {@code /products/**}, {@code /cart/**}, {@code /checkout/**},
 * {@code /orders/**}, {@code /admin/**}, its login and static files): passed on without a token; the storefront has
 * its own login and session and decides who sees which page;</li>
 * <li>any valid token: everything else, {@code /api/orders/**}, {@code /api/payments/**},
 * {@code /api/notifications/**}, {@code /ws/orders/{id}} and any path not named here. Whose order it is, is
 * decided by the service that holds it.</li>
 * </ul>
 * Stateless: no session, no saved request, no CSRF protection (a bearer token is not sent by the browser on its
 * own as a cookie is, so there is no cross-site request to forge), no login form, no HTTP basic. Refusals are the
 * gateway's problem+json ({@link TokenRefusals}).
 * <p>
 * The gateway's own filters run before all of this (they are ordered before Spring Security's
 * {@code WebFilterChainProxy}, at -100): a hostile or broken request is refused as such (400, 405, 426) whether
 * or not it carries a token, and {@link WebSocketBearerToken} has moved a WebSocket's token into
 * {@code Authorization} before it is looked for.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
@EnableConfigurationProperties(SecuritySettings.class)
class GatewaySecurity {

	static final String ADMIN = "admin";

	private static final String[] CATALOG_AND_STOCK = { "/api/products/**", "/api/inventory/**" };

	/**
	 * The Swagger UI's page, its files and its configuration (springdoc in application.yml), and the services'
	 * descriptions it shows (the routes /v3/api-docs/&lt;service-id&gt;): public, as docs/api.md is. "Try it out" then
	 * calls the API with the token of the UI's own login, under the rules below.
	 */
	private static final String[] API_DESCRIPTIONS = { "/swagger-ui", "/swagger-ui/**", "/v3/api-docs/*" };

	/**
	 * The storefront's pages (its routes in application.yml): a backend for the browser that logs shoppers in itself
	 * and keeps their session in a cookie, so no bearer token comes with them. The storefront checks who may see
	 * each page, and calls the API through this gateway with the shopper's token, where the rules below apply.
	 */
	private static final String[] STOREFRONT = { "/", "/products/**", "/cart/**", "/checkout/**", "/orders/**",
			"/admin", "/admin/**", "/staff-only", "/login/**", "/oauth2/**", "/logout", "/css/**", "/js/**",
			"/favicon.ico" };

	@Bean
	SecurityWebFilterChain gatewaySecurityFilterChain(ServerHttpSecurity http, ReactiveJwtDecoder tokens,
			GlobalCorsProperties cors) {
		TokenRefusals refusals = new TokenRefusals();
		return http.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			// Security headers on every answer, the services' included, each only where the answer has none of its
			// own: no MIME sniffing, never framed, no Referer to other sites, a CSP that lets an API answer load
			// nothing, HSTS when the request came over HTTPS. Not Cache-Control: the services' answers pass through
			// with their own (an order is no-store, a product may be cached), and no-store on all would undo that.
			.headers(headers -> headers.cache(ServerHttpSecurity.HeaderSpec.CacheSpec::disable)
				.frameOptions(frame -> frame.mode(XFrameOptionsServerHttpHeadersWriter.Mode.DENY))
				.referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER))
				.contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'none'; frame-ancestors 'none'")))
			// CORS before authentication, with the routes' own configuration (globalcors) and problem+json
			// refusals: a preflight carries no token and is answered here, and a 401 or 403 to an allowed origin
			// carries Access-Control-Allow-Origin, so the web front end can read why it was refused.
			.cors(ServerHttpSecurity.CorsSpec::disable)
			.addFilterAt(new CorsWebFilter(corsConfigurations(cors), new ProblemCorsProcessor()),
					SecurityWebFiltersOrder.CORS)
			.authorizeExchange(rules -> rules
				// The probe groups on the public port, for a load balancer in front of the gateway.
				.pathMatchers(HttpMethod.GET, "/livez", "/readyz").permitAll()
				// The actuator exists on the management port only (these filters run there too): health, info and
				// prometheus for Prometheus and the probes, health details for admins only. On the public port no
				// handler serves /actuator, so it answers 404 to everybody.
				.pathMatchers("/actuator", "/actuator/**").permitAll()
				.pathMatchers(HttpMethod.GET, "/api/products", "/api/products/*", "/api/inventory/*").permitAll()
				// The Swagger UI and the services' OpenAPI descriptions, read before anybody logs in (docs/openapi/).
				.pathMatchers(HttpMethod.GET, API_DESCRIPTIONS).permitAll()
				.pathMatchers(HttpMethod.POST, CATALOG_AND_STOCK).hasRole(ADMIN)
				.pathMatchers(HttpMethod.PUT, CATALOG_AND_STOCK).hasRole(ADMIN)
				.pathMatchers(HttpMethod.PATCH, CATALOG_AND_STOCK).hasRole(ADMIN)
				.pathMatchers(HttpMethod.DELETE, CATALOG_AND_STOCK).hasRole(ADMIN)
				.pathMatchers("/api/admin/**").hasRole(ADMIN)
				.pathMatchers(STOREFRONT).permitAll()
				.anyExchange().authenticated())
			.oauth2ResourceServer(server -> server
				.jwt(jwt -> jwt.jwtDecoder(tokens)
					.jwtAuthenticationConverter(new ReactiveJwtAuthenticationConverterAdapter(new KeycloakAuthorities())))
				.authenticationEntryPoint(refusals)
				.accessDeniedHandler(refusals)
				.authenticationFailureHandler(refusals))
			.exceptionHandling(handling -> handling.authenticationEntryPoint(refusals).accessDeniedHandler(refusals))
			.build();
	}

	/**
	 * Checks a token's signature against the realm's published keys, RS256 only (so {@code alg: none} and an HMAC
	 * "signed" with the public key fail), then {@link TokenChecks}: expiry required, not-before and expiry with the
	 * clock skew, the realm's issuer, the platform's audience.
	 * <p>
	 * The key set is fetched on the first token, not at start (the gateway starts while Keycloak is still down),
	 * and then cached by Spring's Nimbus key source, which fetches it again only when a token names a key id it
	 * does not know: Keycloak's key rotation costs one fetch, a valid token none. Each fetch has a deadline
	 * ({@code shop.security.key-fetch-timeout}): connecting, waiting for the answer and the whole exchange, so a
	 * hanging Keycloak costs a request at most that long (answered 503, see {@link TokenRefusals}) instead of
	 * holding it for good.
	 */
	@Bean
	ReactiveJwtDecoder jwtDecoder(SecuritySettings settings) {
		Duration deadline = settings.keyFetchTimeout();
		HttpClient keyFetches = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(deadline.toMillis()))
			.responseTimeout(deadline);
		WebClient keySet = WebClient.builder()
			.clientConnector(new ReactorClientHttpConnector(keyFetches))
			.filter((request, next) -> next.exchange(request).timeout(deadline))
			.build();
		NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(settings.keySetUri().toString())
			.jwsAlgorithm(SignatureAlgorithm.RS256)
			.webClient(keySet)
			.build();
		decoder.setJwtValidator(TokenChecks.of(settings));
		// Spring's decoder reports a failed key fetch as a bare IllegalStateException ("Could not obtain the
		// keys"), which would bypass the authentication failure handling and end as a 500. As a JwtException that
		// is not a BadJwtException it becomes an AuthenticationServiceException: 503 (TokenRefusals).
		return token -> decoder.decode(token)
			.onErrorMap(IllegalStateException.class,
					failed -> new JwtException("The shop realm's keys could not be fetched", failed));
	}

	/** The routes' CORS configuration ({@code spring.cloud.gateway.server.webflux.globalcors}), by path. */
	private static UrlBasedCorsConfigurationSource corsConfigurations(GlobalCorsProperties cors) {
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		cors.getCorsConfigurations().forEach(source::registerCorsConfiguration);
		return source;
	}

}

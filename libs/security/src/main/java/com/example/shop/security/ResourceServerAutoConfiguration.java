package com.example.shop.security;

import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Makes a REST service a resource server the platform's way: every request but health, info and the OpenAPI
 * description needs a valid
 * token from the shop realm (zero trust: the service checks it although the gateway did, so a request that goes
 * around the gateway is refused too), the service's {@link AccessRules} say which role or scope each endpoint
 * needs, anything they do not name needs {@code admin}, and refusals are problem+json.
 * <p>
 * Stateless: no session and no CSRF token, because a bearer token is not sent by a browser on its own the way a
 * cookie is, so there is no cross-site request to forge.
 */
@AutoConfiguration(beforeName = {
		"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
		"org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
		"org.springframework.boot.security.oauth2.client.autoconfigure.servlet.OAuth2ClientWebSecurityAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(SecuritySettings.class)
@EnableWebSecurity
public class ResourceServerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(SecurityFilterChain.class)
	SecurityFilterChain resourceServerFilterChain(HttpSecurity http, JwtDecoder decoder, SecuritySettings settings,
			ObjectProvider<AccessRules> serviceRules) throws Exception {
		ProblemAuthenticationFailures failures = new ProblemAuthenticationFailures();
		http.csrf(csrf -> csrf.disable())
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache(cache -> cache.disable())
			.authorizeHttpRequests(rules -> {
				rules.requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**", "/actuator/info")
					.permitAll();
				// Scraped by Prometheus without a token. The actuator is served on the management port only (not
				// published, never routed by the gateway); this chain guards that port too, so health details stay
				// an admin's (show-details: when-authorized).
				rules.requestMatchers(HttpMethod.GET, "/actuator/prometheus").permitAll();
				// The service's OpenAPI description (libs/openapi): as public as docs/api.md, which says the same, and
				// what the gateway's Swagger UI fetches before anybody has logged in. Only the JSON at this one path.
				rules.requestMatchers(HttpMethod.GET, "/v3/api-docs").permitAll();
				// Where the servlet container forwards errors: the original request was authorized already.
				rules.requestMatchers("/error").permitAll();
				serviceRules.orderedStream().forEach(service -> service.define(rules));
				rules.anyRequest().hasRole(Caller.ADMIN);
			})
			.oauth2ResourceServer(server -> server
				.jwt(jwt -> jwt.decoder(decoder).jwtAuthenticationConverter(new KeycloakAuthorities()))
				.authenticationEntryPoint(failures)
				.accessDeniedHandler(failures)
				// RFC 9728 metadata (served at /.well-known/oauth-protected-resource, named in every 401 challenge):
				// made true for this platform: the realm issues the tokens, sent in the header, not bound to a
				// client certificate.
				.protectedResourceMetadata(metadata -> metadata.protectedResourceMetadataCustomizer(
						resource -> resource.authorizationServers(servers -> {
							servers.clear();
							servers.add(settings.issuerUri().toString());
						}).bearerMethods(methods -> {
							methods.clear();
							methods.add("header");
						}).tlsClientCertificateBoundAccessTokens(false))))
			.exceptionHandling(handling -> handling.authenticationEntryPoint(failures).accessDeniedHandler(failures))
			.addFilterAfter(new AdminActionAudit(), AuthorizationFilter.class);
		return http.build();
	}

	/**
	 * Checks the signature (RS256 only, so {@code alg: none} and HMAC tricks fail) and {@link TokenChecks}. The key set is fetched from the realm on the first
	 * token, with a deadline, cached, and fetched again when a token names a key id it has not seen (rotation).
	 */
	@Bean
	@ConditionalOnMissingBean
	JwtDecoder jwtDecoder(SecuritySettings settings) {
		SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
		requests.setConnectTimeout(settings.keyFetchTimeout());
		requests.setReadTimeout(settings.keyFetchTimeout());
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(settings.keySetUri().toString())
			.jwsAlgorithm(SignatureAlgorithm.RS256)
			.restOperations(new RestTemplate(requests))
			.build();
		decoder.setJwtValidator(TokenChecks.of(settings));
		return decoder;
	}

	@Bean
	@ConditionalOnMissingBean
	RequestRejectedHandler requestRejectedHandler() {
		return new ProblemRequestRejection();
	}

	@Bean
	WebMvcConfigurer callerParameters() {
		return new WebMvcConfigurer() {
			@Override
			public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
				resolvers.add(new CallerArgumentResolver());
			}
		};
	}

}

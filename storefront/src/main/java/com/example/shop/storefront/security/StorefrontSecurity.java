package com.example.shop.storefront.security;

import java.util.ArrayList;
import java.util.Collection;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.endpoint.RestClientAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.oidc.web.logout.OidcClientInitiatedLogoutSuccessHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

import com.example.shop.security.KeycloakAuthorities;
import com.example.shop.security.SecuritySettings;

/**
 * Who may see which page, and how shoppers log in (docs/security.md "Storefront").
 * <ul>
 * <li>Anybody: the catalog, a product and its live stock, the cart, the probes.</li>
 * <li>Signed in ({@code customer} or {@code admin}): checkout, orders and their live status. Anybody else is sent
 * to Keycloak's login page and back to where they were going.</li>
 * <li>{@code admin}: everything under {@code /admin}; a customer gets the "staff only" page (403).</li>
 * </ul>
 * A cookie session, so CSRF protection stays on: every form carries the token (Thymeleaf adds it to each
 * {@code th:action} form), and a POST without it is refused 403. Logging out ends the Keycloak session too
 * (RP-initiated logout) and comes back to the catalog.
 */
@Configuration(proxyBeanMethods = false)
class StorefrontSecurity {

	@Bean
	SecurityFilterChain storefrontFilterChain(HttpSecurity http, ClientRegistrationRepository registrations,
			OAuth2AuthorizedClientRepository authorizedClients,
			RestClientAuthorizationCodeTokenResponseClient loginCodeExchange, JwtDecoder accessTokens,
			SecuritySettings realm) throws Exception {
		OidcClientInitiatedLogoutSuccessHandler logoutAtKeycloak = new OidcClientInitiatedLogoutSuccessHandler(
				registrations);
		logoutAtKeycloak.setPostLogoutRedirectUri("{baseUrl}/");
		String keycloak = realm.issuerUri().resolve("/").toString().replaceAll("/$", "");
		http.authorizeHttpRequests(rules -> rules
			.requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**", "/actuator/info",
					"/actuator/prometheus")
			.permitAll()
			.requestMatchers("/admin", "/admin/**")
			.hasRole("admin")
			.requestMatchers("/checkout", "/checkout/**", "/orders", "/orders/**")
			.authenticated()
			.anyRequest()
			.permitAll())
			.oauth2Login(login -> login.authorizedClientRepository(authorizedClients)
				.tokenEndpoint(token -> token.accessTokenResponseClient(loginCodeExchange))
				.userInfoEndpoint(user -> user.oidcUserService(rolesFromAccessToken(accessTokens))))
			.exceptionHandling(handling -> handling
				.authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint("/oauth2/authorization/" + KeycloakClients.LOGIN))
				.accessDeniedPage("/staff-only"))
			.logout(logout -> logout.logoutSuccessHandler(logoutAtKeycloak))
			.headers(headers -> headers
				// Pages load only what the storefront serves itself; forms post here or, for logout, are redirected to
				// Keycloak (Chromium applies form-action to that redirect).
				.contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'self'; img-src 'self' data:; "
						+ "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self' " + keycloak))
				.referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN)));
		return http.build();
	}

	/**
	 * The shopper as Spring Security sees them: the ID token's claims (name, email), with the realm roles of the
	 * access token as authorities ({@code ROLE_customer}, {@code ROLE_admin}); Keycloak puts the roles in the access
	 * token only. The access token is checked like every service checks it (signature, issuer, audience) before its
	 * roles are believed. No userinfo call: the ID token has what the pages show.
	 */
	private static OAuth2UserService<OidcUserRequest, OidcUser> rolesFromAccessToken(JwtDecoder accessTokens) {
		OidcUserService idToken = new OidcUserService();
		return request -> {
			OidcUser user = idToken.loadUser(request);
			Jwt access = accessTokens.decode(request.getAccessToken().getTokenValue());
			Collection<GrantedAuthority> authorities = new ArrayList<>(user.getAuthorities());
			for (String role : KeycloakAuthorities.realmRoles(access)) {
				authorities.add(new SimpleGrantedAuthority("ROLE_" + role));
			}
			return new DefaultOidcUser(authorities, user.getIdToken(), user.getUserInfo(), "preferred_username");
		};
	}

}

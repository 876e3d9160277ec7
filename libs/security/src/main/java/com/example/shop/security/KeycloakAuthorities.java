package com.example.shop.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * A Keycloak access token as Spring Security authorities: each realm role ({@code realm_access.roles}) as
 * {@code ROLE_<role>} (so {@code hasRole("admin")} reads as the realm says it), each scope as
 * {@code SCOPE_<scope>} (the services' client-credentials tokens carry scopes, not roles). The name is the
 * token's subject, the id every service stores as the owner of a customer's data.
 */
public final class KeycloakAuthorities implements Converter<Jwt, AbstractAuthenticationToken> {

	@Override
	public AbstractAuthenticationToken convert(Jwt jwt) {
		return new JwtAuthenticationToken(jwt, authorities(jwt), jwt.getSubject());
	}

	static Collection<GrantedAuthority> authorities(Jwt jwt) {
		List<GrantedAuthority> authorities = new ArrayList<>();
		for (String role : realmRoles(jwt)) {
			authorities.add(new SimpleGrantedAuthority("ROLE_" + role));
		}
		for (String scope : scopes(jwt)) {
			authorities.add(new SimpleGrantedAuthority("SCOPE_" + scope));
		}
		return authorities;
	}

	/** The realm roles of a Keycloak access token ({@code realm_access.roles}). */
	public static List<String> realmRoles(Jwt jwt) {
		if (jwt.getClaims().get("realm_access") instanceof Map<?, ?> realmAccess
				&& realmAccess.get("roles") instanceof Collection<?> roles) {
			return roles.stream().filter(String.class::isInstance).map(String.class::cast).toList();
		}
		return List.of();
	}

	static List<String> scopes(Jwt jwt) {
		Object scope = jwt.getClaims().get("scope");
		if (scope instanceof String text && !text.isBlank()) {
			return List.of(text.trim().split("\\s+"));
		}
		if (scope instanceof Collection<?> list) {
			return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
		}
		return List.of();
	}

}

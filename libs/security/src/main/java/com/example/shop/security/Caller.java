package com.example.shop.security;

import java.util.List;
import java.util.Set;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Who is calling, as a plain value a controller takes as a parameter: the token's subject (a customer's id, or a
 * service account's), its e-mail when the token has one, its realm roles and scopes.
 * <p>
 * Ownership is checked where the data lives with {@link #mayRead(String)}: a customer reads what carries their
 * subject, an admin reads everything, and whatever a caller may not read is answered as if it did not exist.
 */
public record Caller(String subject, String email, Set<String> roles, Set<String> scopes) {

	public static final String ADMIN = "admin";

	public static final String CUSTOMER = "customer";

	public static Caller of(Authentication authentication) {
		if (authentication instanceof JwtAuthenticationToken token) {
			Jwt jwt = token.getToken();
			return new Caller(jwt.getSubject(), jwt.getClaimAsString("email"),
					Set.copyOf(KeycloakAuthorities.realmRoles(jwt)), Set.copyOf(KeycloakAuthorities.scopes(jwt)));
		}
		throw new IllegalStateException("Not a bearer-token request: " + authentication);
	}

	public boolean isAdmin() {
		return roles.contains(ADMIN);
	}

	public boolean hasScope(String scope) {
		return scopes.contains(scope);
	}

	/** Whether this caller may see data owned by {@code owner} (a customer's subject; null for unknown). */
	public boolean mayRead(String owner) {
		return isAdmin() || (owner != null && owner.equals(subject));
	}

	/** The owner a listing is restricted to: the caller's own subject, or for an admin the one asked for (or all). */
	public String ownerToList(String askedFor) {
		return isAdmin() ? askedFor : subject;
	}

	@Override
	public String toString() {
		return "Caller[" + subject + " " + List.copyOf(roles) + "]";
	}

}

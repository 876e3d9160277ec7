package com.example.shop.storefront;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.oauth2Client;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.oidcLogin;

import java.time.Instant;
import java.util.List;

import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * Signed-in shoppers for MockMvc, as the storefront's login leaves them: an {@code OidcUser} from the ID token (name,
 * email) with the realm roles as authorities, logged in through the real registration "keycloak", and an
 * authorized client holding their access token in the session, which {@code UserTokens} hands to the gateway.
 */
public final class Shoppers {

	public static final String ALICE_TOKEN = "alice-access-token";

	public static final String ALICE_EMAIL = "alice@example.com";

	public static final String ADMIN_TOKEN = "admin-access-token";

	private final ClientRegistration keycloak;

	Shoppers(ClientRegistrationRepository registrations) {
		this.keycloak = registrations.findByRegistrationId("keycloak");
	}

	/** alice, a customer. */
	public RequestPostProcessor alice() {
		return login("alice", "Alice", ALICE_EMAIL, "customer", ALICE_TOKEN);
	}

	/** The shop's staff. */
	public RequestPostProcessor admin() {
		return login("admin", "Ada", "admin@example.com", "admin", ADMIN_TOKEN);
	}

	private RequestPostProcessor login(String username, String givenName, String email, String role,
			String accessToken) {
		Instant now = Instant.now();
		OidcIdToken idToken = OidcIdToken.withTokenValue("id-token-of-" + username)
			.subject("sub-" + username)
			.issuer("http://127.0.0.1:8180/realms/shop")
			.issuedAt(now)
			.expiresAt(now.plusSeconds(300))
			.claim("preferred_username", username)
			.claim("given_name", givenName)
			.claim("email", email)
			.build();
		DefaultOidcUser user = new DefaultOidcUser(List.of(new SimpleGrantedAuthority("ROLE_" + role)), idToken,
				"preferred_username");
		RequestPostProcessor signedIn = oidcLogin().clientRegistration(this.keycloak).oidcUser(user);
		// oidcLogin() keeps an authorized client with a token of its own; this one, with the shopper's token, replaces
		// it in the session (the repository keeps one per registration), as the login's code exchange would.
		RequestPostProcessor tokens = oauth2Client(this.keycloak.getRegistrationId()).clientRegistration(this.keycloak)
			.principalName(username)
			.accessToken(new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, accessToken, now,
					now.plusSeconds(300)));
		return request -> tokens.postProcessRequest(signedIn.postProcessRequest(request));
	}

}

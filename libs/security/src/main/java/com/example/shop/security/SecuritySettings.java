package com.example.shop.security;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which tokens a service accepts ({@code shop.security.*}).
 * <p>
 * Our own names rather than Boot's {@code spring.security.oauth2.resourceserver.jwt.*}: the decoder is built here
 * (for its clock skew, required expiry, audience and a deadline on the key fetch), and Boot's properties would
 * make Boot build a second one.
 *
 * @param issuerUri the realm's issuer; a token from any other issuer is refused
 * @param jwkSetUri where the realm's public keys are; default: Keycloak's path under the issuer
 * @param audience the {@code aud} every accepted token must name (the realm adds it to every client's tokens)
 * @param clockSkew how far clocks may disagree when checking {@code exp} and {@code nbf}
 * @param keyFetchTimeout the deadline of one fetch of the key set (cached; fetched again for an unknown key id)
 * @param tokenTimeout the deadline of one call to the realm's token endpoint for this service's own token
 * @param tokenRenewal how long before it expires this service's own token is renewed (Spring's default, 60 s); a
 * client whose tokens live shorter must set less, or it fetches a new token for every call (the storefront's last 60 s)
 */
@ConfigurationProperties("shop.security")
public record SecuritySettings(@DefaultValue("http://127.0.0.1:8180/realms/shop") URI issuerUri, URI jwkSetUri,
		@DefaultValue("shop-api") String audience, @DefaultValue("30s") Duration clockSkew,
		@DefaultValue("3s") Duration keyFetchTimeout, @DefaultValue("3s") Duration tokenTimeout,
		@DefaultValue("60s") Duration tokenRenewal) {

	public URI keySetUri() {
		return (jwkSetUri != null) ? jwkSetUri : URI.create(issuerUri + "/protocol/openid-connect/certs");
	}

}

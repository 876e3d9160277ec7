package com.example.shop.security;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;

/**
 * The checks on a token's claims, the same at the gateway and in every service: expiry (required) and not-before
 * with a small clock skew, the realm's issuer, and the platform's audience. The signature is checked before these,
 * by the decoder, against the realm's key set and for RS256 only, so {@code alg: none} and HMAC tricks fail there.
 */
public final class TokenChecks {

	private TokenChecks() {
	}

	public static OAuth2TokenValidator<Jwt> of(SecuritySettings settings) {
		return of(settings.issuerUri().toString(), settings.audience(), settings.clockSkew());
	}

	public static OAuth2TokenValidator<Jwt> of(String issuer, String audience, Duration clockSkew) {
		return new DelegatingOAuth2TokenValidator<>(List.of(new JwtTimestampValidator(clockSkew),
				new JwtClaimValidator<Instant>("exp", expiry -> expiry != null), new JwtIssuerValidator(issuer),
				new JwtClaimValidator<Object>("aud", aud -> names(aud, audience))));
	}

	private static boolean names(Object aud, String audience) {
		if (aud instanceof Collection<?> audiences) {
			return audiences.contains(audience);
		}
		return audience.equals(aud);
	}

}

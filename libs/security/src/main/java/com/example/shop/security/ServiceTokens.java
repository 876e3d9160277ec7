package com.example.shop.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.core.OAuth2AccessToken;

/**
 * This service's own access token for calling other services (OAuth2 client credentials with its confidential
 * client in the realm). Spring Security's client manager fetches it, keeps it, and fetches a new one a minute
 * before it expires; on top of that, when the realm cannot be reached at that moment, the token still held is used
 * until it actually expires, so a short Keycloak outage does not stop calls between services. After that, calls
 * fail with {@link ServiceTokenUnavailableException}, which services answer as a dependency failure (503).
 */
public class ServiceTokens {

	private static final Logger log = LoggerFactory.getLogger(ServiceTokens.class);

	/** The principal the client-credentials token is kept under: the service itself. */
	private static final String PRINCIPAL = "service";

	private final OAuth2AuthorizedClientManager manager;

	private final String registrationId;

	private final Clock clock;

	private volatile OAuth2AccessToken held;

	public ServiceTokens(OAuth2AuthorizedClientManager manager, String registrationId, Clock clock) {
		this.manager = manager;
		this.registrationId = registrationId;
		this.clock = clock;
	}

	/** The current token's value, for an {@code Authorization: Bearer} header or gRPC metadata. */
	public String bearer() {
		try {
			OAuth2AuthorizedClient client = this.manager.authorize(
					OAuth2AuthorizeRequest.withClientRegistrationId(this.registrationId).principal(PRINCIPAL).build());
			if (client == null) {
				throw new ServiceTokenUnavailableException("the realm gave no token to " + this.registrationId, null);
			}
			this.held = client.getAccessToken();
			return this.held.getTokenValue();
		}
		catch (RuntimeException ex) {
			OAuth2AccessToken stillValid = this.held;
			Instant now = this.clock.instant();
			if (stillValid != null && stillValid.getExpiresAt() != null && now.isBefore(stillValid.getExpiresAt())) {
				log.warn("Cannot renew this service's token ({}); using the one held, valid for {} s more",
						ex.toString(), Duration.between(now, stillValid.getExpiresAt()).toSeconds());
				return stillValid.getTokenValue();
			}
			if (ex instanceof ServiceTokenUnavailableException unavailable) {
				throw unavailable;
			}
			throw new ServiceTokenUnavailableException("cannot get a token for " + this.registrationId, ex);
		}
	}

	/** Adds this service's bearer token to every request of a {@code RestClient}. */
	public ClientHttpRequestInterceptor asInterceptor() {
		return (request, body, execution) -> {
			request.getHeaders().set(HttpHeaders.AUTHORIZATION, "Bearer " + bearer());
			return execution.execute(request, body);
		};
	}

	/** The realm cannot be reached and no token held is still valid. */
	public static class ServiceTokenUnavailableException extends RuntimeException {

		public ServiceTokenUnavailableException(String message, Throwable cause) {
			super(message, cause);
		}

	}

}

package com.example.shop.security;

import java.time.Duration;

import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.security.oauth2.client.http.OAuth2ErrorResponseErrorHandler;
import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;
import org.springframework.web.client.RestClient;

/**
 * The HTTP client for calls to the realm's token endpoint (client credentials, authorization code, refresh token),
 * with a deadline: Spring Security's token clients wait without one by default, and a hanging Keycloak would hold
 * the caller (a service's request, a shopper's page) for good.
 */
public final class TokenEndpoints {

	private TokenEndpoints() {
	}

	/** Connects and answers within {@code deadline}; reads OAuth2 token responses and error responses. */
	public static RestClient client(Duration deadline) {
		SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
		requests.setConnectTimeout(deadline);
		requests.setReadTimeout(deadline);
		return RestClient.builder()
			.requestFactory(requests)
			.messageConverters(converters -> {
				converters.clear();
				converters.add(new FormHttpMessageConverter());
				converters.add(new OAuth2AccessTokenResponseHttpMessageConverter());
			})
			.defaultStatusHandler(new OAuth2ErrorResponseErrorHandler())
			.build();
	}

}

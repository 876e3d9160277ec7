package com.example.shop.storefront.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.endpoint.RestClientAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.endpoint.RestClientRefreshTokenTokenResponseClient;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenDecoderFactory;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenValidator;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.web.client.RestTemplate;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.HttpSessionOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;

import com.example.shop.security.SecuritySettings;
import com.example.shop.security.TokenEndpoints;
import com.example.shop.security.ServiceTokensAutoConfiguration;

/**
 * The storefront's two registrations of its Keycloak client, built here rather than from
 * {@code spring.security.oauth2.client.*} so that nothing is fetched from Keycloak at start (an {@code issuer-uri}
 * there makes Boot read the realm's metadata, and the storefront would not start while Keycloak is down):
 * <ul>
 * <li>{@value #LOGIN}: the shoppers' login. Authorization code with PKCE (S256) on a confidential client, the
 * browser sent to the realm's public issuer; the code exchanged and the keys fetched over
 * {@code SHOP_TOKEN_URI}/{@code SHOP_JWK_SET_URI}, internal names in containers. The ID token's {@code iss} must
 * be the public issuer, one for everyone.</li>
 * <li>{@code shop}: the storefront's own token (client credentials, scope {@code inventory.read}) for inventory's
 * WatchStock stream, through libs/security's {@code ServiceTokens}.</li>
 * </ul>
 * The shoppers' tokens are kept in their HTTP session ({@link HttpSessionOAuth2AuthorizedClientRepository}), so in
 * Redis: Spring's default keeps them in the memory of one replica, and a login would not survive a restart or the
 * next request landing on the other replica.
 */
@Configuration(proxyBeanMethods = false)
public class KeycloakClients {

	/** The shoppers' login registration: also the last part of {@code /oauth2/authorization/keycloak}. */
	public static final String LOGIN = "keycloak";

	@Bean
	ClientRegistrationRepository clientRegistrations(LoginProperties login, SecuritySettings realm) {
		String issuer = realm.issuerUri().toString();
		ClientRegistration shoppers = ClientRegistration.withRegistrationId(LOGIN)
			.clientName("Keycloak")
			.clientId(login.clientId())
			.clientSecret(login.clientSecret())
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			// {baseUrl}: the address the browser used (the gateway's, from its X-Forwarded-* headers).
			.redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
			.scope("openid", "profile", "email")
			.authorizationUri(issuer + "/protocol/openid-connect/auth")
			.tokenUri(login.tokenUri().toString())
			.jwkSetUri(realm.keySetUri().toString())
			.issuerUri(issuer)
			.userNameAttributeName("preferred_username")
			.providerConfigurationMetadata(Map.of("end_session_endpoint", issuer + "/protocol/openid-connect/logout"))
			// PKCE for a confidential client too (OAuth 2.1, the realm's client requires it).
			.clientSettings(ClientRegistration.ClientSettings.builder().requireProofKey(true).build())
			.build();
		ClientRegistration storefront = ClientRegistration
			.withRegistrationId(ServiceTokensAutoConfiguration.REGISTRATION_ID)
			.clientId(login.clientId())
			.clientSecret(login.clientSecret())
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.scope("inventory.read")
			.tokenUri(login.tokenUri().toString())
			.build();
		return new InMemoryClientRegistrationRepository(shoppers, storefront);
	}

	@Bean
	OAuth2AuthorizedClientRepository authorizedClients() {
		return new HttpSessionOAuth2AuthorizedClientRepository();
	}

	/**
	 * Checks the login's ID token (signature against the realm's keys, issuer, audience, nonce, expiry) as Spring's
	 * default factory does, but fetches the keys with a deadline ({@code shop.security.key-fetch-timeout}); the keys
	 * are cached after the first login.
	 */
	@Bean
	JwtDecoderFactory<ClientRegistration> idTokenDecoders(SecuritySettings realm) {
		SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
		requests.setConnectTimeout(realm.keyFetchTimeout());
		requests.setReadTimeout(realm.keyFetchTimeout());
		Map<String, JwtDecoder> decoders = new ConcurrentHashMap<>();
		return registration -> decoders.computeIfAbsent(registration.getRegistrationId(), id -> {
			NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(registration.getProviderDetails().getJwkSetUri())
				.jwsAlgorithm(SignatureAlgorithm.RS256)
				.restOperations(new RestTemplate(requests))
				.build();
			decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(),
					new OidcIdTokenValidator(registration)));
			decoder.setClaimSetConverter(OidcIdTokenDecoderFactory.createDefaultClaimTypeConverter());
			return decoder;
		});
	}

	/** Exchanges the login's code for the shopper's tokens, with a deadline ({@code shop.security.token-timeout}). */
	@Bean
	RestClientAuthorizationCodeTokenResponseClient loginCodeExchange(SecuritySettings realm) {
		RestClientAuthorizationCodeTokenResponseClient exchange = new RestClientAuthorizationCodeTokenResponseClient();
		exchange.setRestClient(TokenEndpoints.client(realm.tokenTimeout()));
		return exchange;
	}

	/**
	 * Gives the shopper's access token for a call, refreshed with the refresh token when it expires within
	 * {@code refresh-before-expiry}: a token relayed as it was saved at login would fail five minutes later.
	 */
	@Bean
	OAuth2AuthorizedClientManager authorizedClientManager(ClientRegistrationRepository registrations,
			OAuth2AuthorizedClientRepository authorizedClients, LoginProperties login, SecuritySettings realm,
			MeterRegistry meters) {
		DefaultOAuth2AuthorizedClientManager manager = new DefaultOAuth2AuthorizedClientManager(registrations,
				authorizedClients);
		RestClientRefreshTokenTokenResponseClient renewals = new RestClientRefreshTokenTokenResponseClient();
		renewals.setRestClient(TokenEndpoints.client(realm.tokenTimeout()));
		manager.setAuthorizedClientProvider(OAuth2AuthorizedClientProviderBuilder.builder()
			.authorizationCode()
			.refreshToken(refresh -> refresh.clockSkew(login.refreshBeforeExpiry()).accessTokenResponseClient(renewals))
			.build());
		// The manager calls this only for a new token, so every call is a renewal: counted, then saved as usual.
		Counter renewed = Counter.builder("storefront.login.renewals")
			.description("Shoppers' access tokens renewed with their refresh token")
			.register(meters);
		manager.setAuthorizationSuccessHandler((client, principal, attributes) -> {
			renewed.increment();
			authorizedClients.saveAuthorizedClient(client, principal,
					(HttpServletRequest) attributes.get(HttpServletRequest.class.getName()),
					(HttpServletResponse) attributes.get(HttpServletResponse.class.getName()));
		});
		return manager;
	}

}

package com.example.shop.security;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ClientCredentialsOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.endpoint.RestClientClientCredentialsTokenResponseClient;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;

/**
 * {@link ServiceTokens} for a service that calls others: present when the service declares its client
 * registration {@code shop} ({@code spring.security.oauth2.client.registration.shop.*}, grant
 * {@code client_credentials}). The token endpoint is called with a deadline, like every remote call. Token expiry is
 * judged by the service's {@link Clock} bean when it has one (so a test that sets the service's time sets it here
 * too), by the system's UTC clock otherwise.
 */
@AutoConfiguration(afterName = "org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientAutoConfiguration")
@ConditionalOnClass(AuthorizedClientServiceOAuth2AuthorizedClientManager.class)
@ConditionalOnBean(ClientRegistrationRepository.class)
@EnableConfigurationProperties(SecuritySettings.class)
public class ServiceTokensAutoConfiguration {

	public static final String REGISTRATION_ID = "shop";

	@Bean
	@ConditionalOnMissingBean
	ServiceTokens serviceTokens(ClientRegistrationRepository registrations, SecuritySettings settings,
			ObjectProvider<Clock> clocks) {
		Clock clock = clocks.getIfUnique(Clock::systemUTC);
		RestClientClientCredentialsTokenResponseClient tokenClient = new RestClientClientCredentialsTokenResponseClient();
		tokenClient.setRestClient(TokenEndpoints.client(settings.tokenTimeout()));
		ClientCredentialsOAuth2AuthorizedClientProvider provider = new ClientCredentialsOAuth2AuthorizedClientProvider();
		provider.setAccessTokenResponseClient(tokenClient);
		provider.setClockSkew(settings.tokenRenewal());
		provider.setClock(clock);
		AuthorizedClientServiceOAuth2AuthorizedClientManager manager = new AuthorizedClientServiceOAuth2AuthorizedClientManager(
				registrations, new InMemoryOAuth2AuthorizedClientService(registrations));
		manager.setAuthorizedClientProvider(provider);
		return new ServiceTokens(manager, REGISTRATION_ID, clock);
	}

}

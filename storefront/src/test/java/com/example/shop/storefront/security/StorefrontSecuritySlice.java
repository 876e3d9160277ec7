package com.example.shop.storefront.security;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

import com.example.shop.security.SecuritySettings;

/**
 * The storefront's real security rules and token relay for a page slice: {@link StorefrontSecurity} (who may see
 * which page, CSRF, the login entry point, the "staff only" page), {@link KeycloakClients} (the registrations, the
 * session-kept authorized clients and their manager) and {@link UserTokens}. Package-private classes, hence this
 * door in their package. Nothing here talks to Keycloak: tests sign in with Spring Security's {@code oidcLogin()}.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import({ StorefrontSecurity.class, KeycloakClients.class, UserTokens.class })
@EnableConfigurationProperties({ LoginProperties.class, SecuritySettings.class })
public class StorefrontSecuritySlice {

}

package com.example.shop.storefront.security;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The storefront's client of Keycloak's realm ({@code shop.storefront.login}): a confidential client that logs
 * shoppers in with the authorization code flow and PKCE, and gets its own token with client credentials.
 */
@ConfigurationProperties("shop.storefront.login")
public record LoginProperties(String clientId, String clientSecret, URI tokenUri, Duration refreshBeforeExpiry) {
}

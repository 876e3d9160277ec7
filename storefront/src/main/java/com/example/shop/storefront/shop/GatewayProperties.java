package com.example.shop.storefront.shop;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Where the public API is and how long a call to it may take ({@code shop.storefront.gateway}). */
@ConfigurationProperties("shop.storefront.gateway")
public record GatewayProperties(URI baseUrl, Duration connectTimeout, Duration readTimeout) {
}

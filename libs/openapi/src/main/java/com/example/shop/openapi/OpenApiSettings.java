package com.example.shop.openapi;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where clients call the API ({@code shop.openapi.*}).
 *
 * @param gatewayUrl the gateway's public address ({@code SHOP_GATEWAY_URL}, see {@link OpenApiDefaults}): the
 * description's one server, so that Swagger UI's "Try it out" goes through the gateway (its token check, rate limits
 * and routes), never to the service's own port
 */
@ConfigurationProperties("shop.openapi")
public record OpenApiSettings(@DefaultValue("http://localhost:8080") URI gatewayUrl) {
}

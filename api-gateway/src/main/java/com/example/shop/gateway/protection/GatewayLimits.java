package com.example.shop.gateway.protection;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits the gateway enforces on every request, from {@code shop.gateway.*}.
 *
 * @param maxRequestSize largest request body accepted; larger ones are answered 413
 */
@ConfigurationProperties("shop.gateway")
public record GatewayLimits(@DefaultValue("1MB") DataSize maxRequestSize) {
}

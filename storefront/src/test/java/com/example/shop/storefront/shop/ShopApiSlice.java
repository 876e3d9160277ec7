package com.example.shop.storefront.shop;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The storefront's real client of the gateway for a page slice: {@link ShopApiConfiguration} (package-private,
 * hence this door in its package) with its properties, so a page test talks HTTP to a {@code GatewayStandIn}.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import(ShopApiConfiguration.class)
@EnableConfigurationProperties(GatewayProperties.class)
public class ShopApiSlice {

}

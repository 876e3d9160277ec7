package com.example.shop.security;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;

/**
 * A service's own part of the authorization table: who may call which of its endpoints. Each service declares one
 * bean; the library puts the rules between the platform-wide ones (health and info for everybody) and the last
 * rule, which lets only an admin through to anything not named. docs/security.md holds the whole table.
 *
 * <pre>{@code
 * @Bean
 * AccessRules productAccess() {
 *     return rules -> rules.requestMatchers(HttpMethod.GET, "/api/products", "/api/products/*").permitAll();
 * }
 * }</pre>
 */
@FunctionalInterface
public interface AccessRules {

	void define(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry rules);

}

package com.example.shop.discovery.security;

import java.util.Map;
import java.util.Objects;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may use the registry, from {@code shop.discovery.*}: one account per service (its name, as it registers, and a
 * password of its own), and an operator for the dashboard. The development values are in application.yml; every
 * deployment sets its own from secrets.
 *
 * @param services each service's password, by service name ({@code spring.application.name})
 * @param operatorPassword the password of the account {@code operator}: the dashboard and the registry's contents
 */
@ConfigurationProperties("shop.discovery")
public record RegistryAccounts(Map<String, String> services, String operatorPassword) {

	public static final String OPERATOR = "operator";

	public RegistryAccounts {
		services = Map.copyOf(Objects.requireNonNull(services, "shop.discovery.services must name the services"));
		Objects.requireNonNull(operatorPassword, "shop.discovery.operator-password must be set");
		services.forEach((name, password) -> {
			if (password == null || password.isBlank()) {
				throw new IllegalArgumentException("shop.discovery.services." + name + " has no password");
			}
		});
	}

}

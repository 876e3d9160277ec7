package com.example.shop.discovery.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Nobody registers, renews or removes an instance without an account, and a service only its own: the account
 * {@code order-service} may write {@code /eureka/apps/ORDER-SERVICE/**} and nothing else, so a process that knows one
 * service's password cannot take another's traffic or drop its instances. Every account may read the registry (the
 * services look each other up); the dashboard is the operator's. Health, info and prometheus stay open for probes
 * and Prometheus.
 * <p>
 * HTTP Basic, because that is what Eureka's clients send (the credentials in {@code defaultZone}'s URL); stateless,
 * no CSRF token (no browser session to ride on). The passwords are machine secrets compared as given
 * ({@code {noop}}): a slow hash such as bcrypt would cost tens of milliseconds of CPU on every heartbeat of every
 * instance, and the secrets are long random values outside development.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableConfigurationProperties(RegistryAccounts.class)
public class RegistrySecurity {

	static final String SERVICE = "SERVICE";

	static final String OPERATOR = "OPERATOR";

	@Bean
	SecurityFilterChain registryAccess(HttpSecurity http) throws Exception {
		return http.csrf(csrf -> csrf.disable())
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.formLogin(form -> form.disable())
			.httpBasic(Customizer.withDefaults())
			.authorizeHttpRequests(rules -> rules
				.requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**", "/actuator/info",
						"/actuator/prometheus")
				.permitAll()
				// Where the servlet container forwards an error answer (Eureka's 404 for an instance it does not
				// know): the request was authorized already, and a 403 in its place would keep a client from learning
				// that it must register again.
				.requestMatchers("/error")
				.permitAll()
				.requestMatchers(HttpMethod.GET, "/eureka/**")
				.hasAnyRole(SERVICE, OPERATOR)
				.requestMatchers("/eureka/apps/*", "/eureka/apps/*/**")
				.access(new OwnApplicationOnly())
				.anyRequest()
				.hasRole(OPERATOR))
			.build();
	}

	@Bean
	UserDetailsService registryUsers(RegistryAccounts accounts) {
		List<UserDetails> users = new ArrayList<>();
		accounts.services()
			.forEach((name, password) -> users.add(User.withUsername(name).password("{noop}" + password).roles(SERVICE).build()));
		users.add(User.withUsername(RegistryAccounts.OPERATOR)
			.password("{noop}" + accounts.operatorPassword())
			.roles(OPERATOR)
			.build());
		return new InMemoryUserDetailsManager(users);
	}

	/** A write to {@code /eureka/apps/<APP>/...} only by the service account whose name is {@code <APP>}. */
	static final class OwnApplicationOnly implements AuthorizationManager<RequestAuthorizationContext> {

		@Override
		public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
				RequestAuthorizationContext context) {
			Authentication caller = authentication.get();
			String path = context.getRequest().getRequestURI().substring(context.getRequest().getContextPath().length());
			String[] segments = path.split("/");
			// "", "eureka", "apps", "<APP>", ...
			String application = (segments.length > 3) ? segments[3] : "";
			boolean service = caller != null && caller.isAuthenticated() && caller.getAuthorities()
				.stream()
				.anyMatch(authority -> ("ROLE_" + SERVICE).equals(authority.getAuthority()));
			return new AuthorizationDecision(
					service && caller.getName().toUpperCase(Locale.ROOT).equals(application.toUpperCase(Locale.ROOT)));
		}

	}

}

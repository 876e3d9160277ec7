package com.example.shop.discoveryprobe;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A real Eureka client application, as small as a service can be: web server, actuator, Eureka client.
 * The registry tests start it next to the discovery server to watch it register and deregister.
 * <p>
 * It lives outside {@code com.example.shop.discovery} on purpose: the server's component scan must not
 * pick it up, and its own scan must not pick up the server.
 */
@SpringBootApplication
public class RegistryProbeApplication {

	/** Spring Security is on this test classpath (the registry's): the probe itself serves anybody. */
	@Bean
	SecurityFilterChain openProbe(HttpSecurity http) throws Exception {
		return http.authorizeHttpRequests(rules -> rules.anyRequest().permitAll()).csrf(csrf -> csrf.disable()).build();
	}

}

package com.example.shop.discovery;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.netflix.eureka.server.EnableEurekaServer;

/**
 * The service registry. Every service registers its address here under its name (for example
 * {@code product-service}) and looks the others up by that name, so no service needs to know another's
 * host or port, and a second replica is found as soon as it registers.
 * <p>
 * The dashboard is at {@code http://localhost:8761/}, the raw registry at
 * {@code http://localhost:8761/eureka/apps}.
 */
@SpringBootApplication
@EnableEurekaServer
public class DiscoveryServerApplication {

	public static void main(String[] args) {
		SpringApplication.run(DiscoveryServerApplication.class, args);
	}

}

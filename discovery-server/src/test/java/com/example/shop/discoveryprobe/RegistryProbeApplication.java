package com.example.shop.discoveryprobe;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A real Eureka client application, as small as a service can be: web server, actuator, Eureka client.
 * The registry tests start it next to the discovery server to watch it register and deregister.
 * <p>
 * It lives outside {@code com.example.shop.discovery} on purpose: the server's component scan must not
 * pick it up, and its own scan must not pick up the server.
 */
@SpringBootApplication
public class RegistryProbeApplication {

}

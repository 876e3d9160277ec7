package com.example.shop.gateway;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The real gateway on a random port, without Eureka: a test registers its downstream servers by name
 * with Spring Cloud's simple discovery client
 * ({@code spring.cloud.discovery.client.simple.instances.<service-id>[0].uri}), and the gateway's load
 * balancer finds them exactly as it finds Eureka's instances.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "shop.gateway.rate-limits.enabled=false" })
@interface GatewayTest {

}

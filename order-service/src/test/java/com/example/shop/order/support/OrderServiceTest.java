package com.example.shop.order.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

/**
 * The whole order-service over real HTTP, against its own PostgreSQL database, the shared Kafka broker
 * (topics suffixed with the class's namespace) and its own RabbitMQ virtual host; the gRPC peers are the
 * real test servers of {@link GrpcPeers} (the class registers them with a {@code @DynamicPropertySource}).
 * The service accepts the tokens of {@link com.example.shop.testsupport.TestTokens} ({@link Callers}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(HttpClientConfiguration.class)
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA, Infrastructure.RABBITMQ, Infrastructure.TOKENS })
public @interface OrderServiceTest {

}

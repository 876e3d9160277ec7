package com.example.shop.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives a {@code @SpringBootTest} class real infrastructure of its own.
 * <p>
 * One server of each kind runs per test JVM (a Testcontainers container when Docker answers, the local
 * service otherwise, see {@link InfrastructureMode}); each test class gets an isolated slice of it:
 * <ul>
 * <li>{@code POSTGRES}: a fresh database; sets {@code spring.datasource.url/username/password}.</li>
 * <li>{@code KAFKA}: sets {@code spring.kafka.bootstrap-servers}; tests suffix topic names with
 * {@code ${test.namespace}} so classes never read each other's records.</li>
 * <li>{@code RABBITMQ}: a fresh virtual host; sets {@code spring.rabbitmq.*}.</li>
 * <li>{@code REDIS}: sets {@code spring.data.redis.host/port} and a per-class cache key prefix.</li>
 * <li>{@code TOKENS}: points {@code shop.security.*} at {@link TestTokens}' issuer, so the service accepts its
 * tokens (and refuses broken ones) as it does Keycloak's.</li>
 * </ul>
 * Always sets {@code test.namespace}, a short id unique to the class. Properties the test sets itself
 * ({@code @SpringBootTest(properties=...)}, {@code @DynamicPropertySource}) win over these.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface UsesInfrastructure {

	Infrastructure[] value();

}

package com.example.shop.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.support.TestPropertySourceUtils;

/**
 * Points one test class's application context at its own slice of the shared infrastructure.
 * <p>
 * A record, so equality is (test class, needs): Spring's context cache then gives each test class its
 * own context and never hands one class's database to another.
 */
record InfrastructureContextCustomizer(Class<?> owner, Set<Infrastructure> needs) implements ContextCustomizer {

	static final String PROPERTY_SOURCE_NAME = "testInfrastructure";

	/** Dynamic Test Properties are registered under this name by Spring's TestContext framework. */
	private static final String DYNAMIC_PROPERTIES = "Dynamic Test Properties";

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
		String namespace = TestInfrastructure.newNamespace(owner.getSimpleName());
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("test.namespace", namespace);
		if (needs.contains(Infrastructure.POSTGRES)) {
			DatabaseCoordinates database = TestInfrastructure.postgres().createDatabase(namespace);
			properties.put("spring.datasource.url", database.jdbcUrl());
			properties.put("spring.datasource.username", database.username());
			properties.put("spring.datasource.password", database.password());
		}
		if (needs.contains(Infrastructure.KAFKA)) {
			properties.put("spring.kafka.bootstrap-servers", TestInfrastructure.kafka().bootstrapServers());
		}
		if (needs.contains(Infrastructure.RABBITMQ)) {
			RabbitBroker rabbit = TestInfrastructure.rabbit();
			properties.put("spring.rabbitmq.host", rabbit.host());
			properties.put("spring.rabbitmq.port", rabbit.amqpPort());
			properties.put("spring.rabbitmq.username", rabbit.username());
			properties.put("spring.rabbitmq.password", rabbit.password());
			properties.put("spring.rabbitmq.virtual-host", rabbit.createVirtualHost(namespace));
		}
		if (needs.contains(Infrastructure.REDIS)) {
			RedisServer redis = TestInfrastructure.redis();
			properties.put("spring.data.redis.host", redis.host());
			properties.put("spring.data.redis.port", redis.port());
			properties.put("spring.cache.redis.key-prefix", namespace + "::");
			properties.put("spring.cache.redis.use-key-prefix", true);
		}
		if (needs.contains(Infrastructure.TOKENS)) {
			properties.put("shop.security.issuer-uri", TestTokens.issuer().issuerUri());
			properties.put("shop.security.jwk-set-uri", TestTokens.issuer().jwkSetUri());
			// A service's own client-credentials tokens (its registration "shop") from the same issuer.
			properties.put("spring.security.oauth2.client.provider.shop.token-uri", TokenEndpointStandIn.shared().tokenUri());
		}
		addBelowTheTestsOwnProperties(context.getEnvironment().getPropertySources(),
				new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
	}

	/** What a test states itself ({@code properties=}, {@code @DynamicPropertySource}) must still win. */
	private static void addBelowTheTestsOwnProperties(MutablePropertySources sources, MapPropertySource ours) {
		String lowestOfTheTests = null;
		for (String name : new String[] { DYNAMIC_PROPERTIES,
				TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME }) {
			if (sources.contains(name)) {
				lowestOfTheTests = name;
			}
		}
		if (lowestOfTheTests == null) {
			sources.addFirst(ours);
		}
		else {
			sources.addAfter(lowestOfTheTests, ours);
		}
	}

}

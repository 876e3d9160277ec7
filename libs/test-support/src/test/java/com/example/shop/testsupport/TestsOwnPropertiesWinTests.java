package com.example.shop.testsupport;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/** A test that points a client somewhere on purpose (say, at a dead port) must get its way. */
@SpringBootTest(classes = IsolationTestApplication.class, properties = "spring.data.redis.port=1")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.REDIS })
class TestsOwnPropertiesWinTests {

	@Value("${spring.data.redis.port}")
	int redisPort;

	@Value("${spring.data.redis.host}")
	String redisHost;

	@Value("${spring.cache.redis.key-prefix}")
	String cacheKeyPrefix;

	@Value("${test.namespace}")
	String namespace;

	@Test
	void explicitPropertiesOverrideTheInfrastructureOnes() {
		assertThat(redisPort).isEqualTo(1);
		assertThat(redisHost).isEqualTo(TestInfrastructure.redis().host());
		assertThat(cacheKeyPrefix).isEqualTo(namespace + "::");
	}

}

package com.example.shop.messaging.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.TcpProxy;
import com.example.shop.testsupport.TestInfrastructure;
import com.example.shop.testsupport.UsesInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service that started while Kafka did not answer still gets its declared topics once Kafka does. The
 * service reaches Kafka through a proxy that starts closed; the test asks the real broker directly.
 */
@SpringBootTest(classes = DeclaredTopicsRetryTests.App.class,
		// Give up on each attempt quickly, so the test sees several attempts fail before Kafka comes back.
		properties = { "spring.kafka.admin.operation-timeout=1s", "spring.kafka.admin.close-timeout=1s" })
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA })
class DeclaredTopicsRetryTests {

	static final String REAL_BOOTSTRAP = TestInfrastructure.kafka().bootstrapServers();

	static final TcpProxy KAFKA = TcpProxy.to(REAL_BOOTSTRAP.substring(0, REAL_BOOTSTRAP.lastIndexOf(':')),
			Integer.parseInt(REAL_BOOTSTRAP.substring(REAL_BOOTSTRAP.lastIndexOf(':') + 1)));

	static final String TOPIC = "declared-late." + TestInfrastructure.newNamespace("topics");

	@DynamicPropertySource
	static void kafkaThroughTheProxy(DynamicPropertyRegistry registry) {
		registry.add("spring.kafka.bootstrap-servers", () -> "127.0.0.1:" + KAFKA.port());
	}

	@AfterAll
	static void closeProxy() {
		KAFKA.close();
	}

	@Test
	void topicsDeclaredWhileKafkaWasUnreachableAreCreatedWhenItAnswers() throws Exception {
		Thread.sleep(3000); // startup's own attempt and at least one retry fail meanwhile
		assertThat(topicsOnTheBroker()).doesNotContain(TOPIC, TOPIC + ".DLT");

		KAFKA.open();

		Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(topicsOnTheBroker()).contains(TOPIC, TOPIC + ".DLT"));
	}

	private static Set<String> topicsOnTheBroker() throws Exception {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", REAL_BOOTSTRAP))) {
			return admin.listTopics().names().get();
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		KafkaAdmin.NewTopics declaredTopics() {
			return KafkaTopics.withDeadLetters(1, TOPIC);
		}

	}

}

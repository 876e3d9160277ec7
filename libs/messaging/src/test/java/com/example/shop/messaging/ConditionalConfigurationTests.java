package com.example.shop.messaging;

import java.sql.Connection;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;

import com.example.shop.messaging.deadletter.DeadLetterAutoConfiguration;
import com.example.shop.messaging.deadletter.DeadLetterMetrics;
import com.example.shop.messaging.deadletter.DeadLetters;
import com.example.shop.messaging.deadletter.web.DeadLetterController;
import com.example.shop.messaging.deadletter.web.DeadLetterWebAutoConfiguration;
import com.example.shop.messaging.envelope.MicrometerTraceContextSource;
import com.example.shop.messaging.envelope.TraceContextAutoConfiguration;
import com.example.shop.messaging.inbox.Inbox;
import com.example.shop.messaging.kafka.KafkaDeadLetterAutoConfiguration;
import com.example.shop.messaging.kafka.KafkaDeadLetterIngester;
import com.example.shop.messaging.kafka.KafkaMessagingAutoConfiguration;
import com.example.shop.messaging.kafka.KafkaOutboxPublisher;
import com.example.shop.messaging.outbox.Outbox;
import com.example.shop.messaging.outbox.OutboxAutoConfiguration;
import com.example.shop.messaging.outbox.OutboxRelay;
import com.example.shop.messaging.rabbit.RabbitDeadLetterAutoConfiguration;
import com.example.shop.messaging.rabbit.RabbitDeadLetterIngester;
import com.example.shop.messaging.rabbit.RabbitMessagingAutoConfiguration;
import com.example.shop.messaging.rabbit.RabbitOutboxPublisher;
import com.example.shop.messaging.rabbit.RetryTierRecoverer;
import com.example.shop.testsupport.DatabaseCoordinates;
import com.example.shop.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service gets the parts of the library for what it has: one broker's client without the other's, no
 * tracing without Micrometer Tracing, no outbox without a database. Nothing here connects to a broker.
 */
class ConditionalConfigurationTests {

	static final DatabaseCoordinates DATABASE = TestInfrastructure.postgres().createDatabase("conditional");

	final ApplicationContextRunner service = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, FlywayAutoConfiguration.class, KafkaAutoConfiguration.class,
				RabbitAutoConfiguration.class, TraceContextAutoConfiguration.class, OutboxAutoConfiguration.class,
				KafkaMessagingAutoConfiguration.class, RabbitMessagingAutoConfiguration.class,
				DeadLetterAutoConfiguration.class, KafkaDeadLetterAutoConfiguration.class,
				RabbitDeadLetterAutoConfiguration.class, DeadLetterWebAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=" + DATABASE.jdbcUrl(),
				"spring.datasource.username=" + DATABASE.username(), "spring.datasource.password=" + DATABASE.password(),
				// What MessagingDefaults sets in a real application (this runner applies no post-processors).
				"spring.rabbitmq.publisher-confirm-type=correlated", "spring.rabbitmq.publisher-returns=true");

	@Test
	void withBothBrokersEverythingIsThere() {
		this.service.run((context) -> {
			// The migration comes from the library jar with the default Flyway location.
			try (Connection connection = context.getBean(DataSource.class).getConnection()) {
				assertThat(connection.getMetaData().getTables(null, null, "outbox_message", null).next()).isTrue();
				assertThat(connection.getMetaData().getTables(null, null, "dead_letter", null).next()).isTrue();
			}
			assertThat(context).hasSingleBean(DeadLetters.class)
				.hasSingleBean(DeadLetterMetrics.class)
				.hasSingleBean(KafkaDeadLetterIngester.class)
				.hasSingleBean(RabbitDeadLetterIngester.class)
				.as("the admin API only in a servlet web application")
				.doesNotHaveBean(DeadLetterController.class);
			assertThat(context).hasSingleBean(Outbox.class)
				.hasSingleBean(Inbox.class)
				.hasSingleBean(OutboxRelay.class)
				.hasSingleBean(KafkaOutboxPublisher.class)
				.hasSingleBean(CommonErrorHandler.class)
				.hasSingleBean(RabbitOutboxPublisher.class)
				.hasSingleBean(RetryTierRecoverer.class)
				.hasSingleBean(MicrometerTraceContextSource.class);
			// The library's own producers are not beans: Boot's template and producer factory must stay.
			assertThat(context).hasSingleBean(KafkaTemplate.class).hasSingleBean(RabbitTemplate.class);
		});
	}

	@Test
	void aRabbitOnlyServiceNeedsNoKafka() {
		this.service.withClassLoader(new FilteredClassLoader(KafkaTemplate.class)).run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(Outbox.class)
				.hasSingleBean(RabbitOutboxPublisher.class)
				.doesNotHaveBean(KafkaOutboxPublisher.class)
				.doesNotHaveBean(CommonErrorHandler.class)
				.doesNotHaveBean(KafkaDeadLetterIngester.class)
				.hasSingleBean(RabbitDeadLetterIngester.class);
		});
	}

	@Test
	void aKafkaOnlyServiceNeedsNoRabbitMq() {
		this.service.withClassLoader(new FilteredClassLoader(RabbitTemplate.class)).run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(Outbox.class)
				.hasSingleBean(KafkaOutboxPublisher.class)
				.doesNotHaveBean(RabbitOutboxPublisher.class)
				.doesNotHaveBean(RetryTierRecoverer.class)
				.doesNotHaveBean(RabbitDeadLetterIngester.class)
				.hasSingleBean(KafkaDeadLetterIngester.class);
		});
	}

	@Test
	void withoutMicrometerTracingEnvelopesCarryNoTraceAndNothingFails() {
		this.service.withClassLoader(new FilteredClassLoader("io.micrometer.tracing")).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(MicrometerTraceContextSource.class);
			assertThat(TestMessages.envelope("ok").traceparent()).isNull();
		});
	}

	@Test
	void theRelayCanBeSwitchedOffPerInstance() {
		this.service.withPropertyValues("shop.messaging.outbox.relay-enabled=false").run((context) -> {
			assertThat(context).hasSingleBean(Outbox.class).doesNotHaveBean(OutboxRelay.class);
		});
	}

	@Test
	void deadLetterIngestionCanBeSwitchedOffPerInstanceAndTheStoreStays() {
		this.service.withPropertyValues("shop.messaging.dead-letters.ingest-enabled=false").run((context) -> {
			assertThat(context).hasSingleBean(DeadLetters.class)
				.doesNotHaveBean(KafkaDeadLetterIngester.class)
				.doesNotHaveBean(RabbitDeadLetterIngester.class);
		});
	}

	@Test
	void aServletWebApplicationGetsTheDeadLetterAdminApi() {
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, FlywayAutoConfiguration.class,
				OutboxAutoConfiguration.class, DeadLetterAutoConfiguration.class, DeadLetterWebAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=" + DATABASE.jdbcUrl(),
					"spring.datasource.username=" + DATABASE.username(), "spring.datasource.password=" + DATABASE.password())
			.run((context) -> assertThat(context).hasSingleBean(DeadLetterController.class));
	}

	@Test
	void rabbitPublishingWithoutConfirmsIsRefusedAtStartupSayingWhatToSet() {
		this.service.withPropertyValues("spring.rabbitmq.publisher-confirm-type=none").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("spring.rabbitmq.publisher-confirm-type=correlated");
		});
	}

}

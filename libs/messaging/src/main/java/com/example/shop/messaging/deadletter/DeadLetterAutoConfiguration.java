package com.example.shop.messaging.deadletter;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.example.shop.messaging.MessagingProperties;
import com.example.shop.messaging.outbox.Outbox;
import com.example.shop.messaging.outbox.OutboxAutoConfiguration;

/**
 * The dead-letter store of every service with a database: the {@code dead_letter} table (migrated by the
 * service's Flyway from the library's {@code R__messaging_dead_letter.sql}), {@link DeadLetters} (list,
 * replay through the outbox, discard) and the {@code dead.letters} gauge. Ingestion from the brokers is
 * configured beside each broker's part (Kafka and RabbitMQ dead-letter auto-configurations), the admin API
 * in a servlet web application by {@code DeadLetterWebAutoConfiguration}.
 */
@AutoConfiguration(after = OutboxAutoConfiguration.class)
@ConditionalOnBean({ DataSource.class, PlatformTransactionManager.class, Outbox.class })
@EnableConfigurationProperties(MessagingProperties.class)
public class DeadLetterAutoConfiguration {

	@Bean
	DeadLetterRepository deadLetterRepository(DataSource dataSource) {
		return new DeadLetterRepository(JdbcClient.create(dataSource));
	}

	@Bean
	DeadLetters deadLetters(DeadLetterRepository repository, Outbox outbox,
			PlatformTransactionManager transactionManager) {
		return new DeadLetters(repository, outbox, new TransactionTemplate(transactionManager));
	}

	@Bean
	DeadLetterMetrics deadLetterMetrics(DeadLetterRepository repository, ObjectProvider<MeterRegistry> registry,
			MessagingProperties messaging, Environment environment) {
		return new DeadLetterMetrics(repository, registry.getIfUnique(() -> Metrics.globalRegistry),
				environment.getProperty("spring.application.name", "application"),
				messaging.deadLetters().metricsInterval());
	}

}

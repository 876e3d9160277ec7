package com.example.shop.messaging.outbox;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.example.shop.messaging.MessagingProperties;
import com.example.shop.messaging.consumer.MessageConsumers;
import com.example.shop.messaging.inbox.Inbox;

/**
 * Outbox, relay, inbox and the consumer pipeline ({@link MessageConsumers}), on the service's own DataSource and transaction manager. The broker publishers
 * come from the Kafka and RabbitMQ auto-configurations, whichever the service has.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
		"org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
		"org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration" })
@ConditionalOnBean({ DataSource.class, PlatformTransactionManager.class })
@EnableConfigurationProperties(MessagingProperties.class)
public class OutboxAutoConfiguration {

	private final JdbcClient jdbc;

	private final MeterRegistry registry;

	OutboxAutoConfiguration(DataSource dataSource, ObjectProvider<MeterRegistry> registry) {
		// JdbcClient over the DataSource joins the transaction bound to the calling thread, whoever opened it.
		this.jdbc = JdbcClient.create(dataSource);
		// Without Micrometer's auto-configuration the meters go to the global registry (a no-op unless used).
		this.registry = registry.getIfUnique(() -> Metrics.globalRegistry);
	}

	@Bean
	Outbox outbox(ObjectProvider<OutboxRelay> relay) {
		return new Outbox(new OutboxRepository(this.jdbc), () -> relay.ifAvailable(OutboxRelay::nudge));
	}

	@Bean
	Inbox inbox() {
		return new Inbox(this.jdbc, this.registry);
	}

	@Bean
	MessageConsumers messageConsumers(Inbox inbox, Outbox outbox, PlatformTransactionManager transactionManager,
			Environment environment) {
		return new MessageConsumers(environment.getProperty("spring.application.name", "application"), inbox, outbox,
				transactionManager);
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "shop.messaging.outbox.relay-enabled", matchIfMissing = true)
	OutboxRelay outboxRelay(PlatformTransactionManager transactionManager, ObjectProvider<OutboxPublisher> publishers,
			MessagingProperties messaging, Inbox inbox, Environment environment, ObjectProvider<PublishSpans> spans) {
		String application = environment.getProperty("spring.application.name", "application");
		OutboxRepository repository = new OutboxRepository(this.jdbc);
		MessagingProperties.Outbox settings = messaging.outbox();
		return new OutboxRelay(application, repository, new TransactionTemplate(transactionManager),
				publishers.orderedStream().toList(), settings, new OutboxMetrics(repository, this.registry, application),
				new OutboxHousekeeping(repository, inbox, settings.retention(), messaging.inbox().retention()),
				spans.getIfAvailable(() -> PublishSpans.NONE));
	}

}

package com.example.shop.messaging.rabbit;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import com.example.shop.messaging.MessagingProperties;
import com.example.shop.messaging.deadletter.DeadLetterAutoConfiguration;
import com.example.shop.messaging.deadletter.DeadLetterRepository;

/**
 * RabbitMQ dead letters into the {@code dead_letter} table ({@link RabbitDeadLetterIngester}), in every
 * service with {@link RabbitQueueTopology} beans and a database.
 */
@AutoConfiguration(after = { DeadLetterAutoConfiguration.class, RabbitMessagingAutoConfiguration.class })
@ConditionalOnClass(RabbitTemplate.class)
@ConditionalOnBean({ DeadLetterRepository.class, ConnectionFactory.class })
@ConditionalOnBooleanProperty(name = "shop.messaging.dead-letters.ingest-enabled", matchIfMissing = true)
@EnableConfigurationProperties(MessagingProperties.class)
public class RabbitDeadLetterAutoConfiguration {

	@Bean
	RabbitDeadLetterIngester rabbitDeadLetterIngester(ConnectionFactory connectionFactory,
			ObjectProvider<RabbitQueueTopology> topologies, DeadLetterRepository repository,
			MessagingProperties messaging) {
		return new RabbitDeadLetterIngester(connectionFactory, topologies.orderedStream().toList(), repository,
				messaging.deadLetters());
	}

}

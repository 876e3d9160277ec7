package com.example.shop.messaging.rabbit;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.config.ContainerCustomizer;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import com.example.shop.messaging.MessagingProperties;

/**
 * The RabbitMQ half, present only when the service has Spring Boot's AMQP support
 * ({@code spring-boot-starter-amqp}): the outbox publisher with confirms and returns, the declaration of
 * every {@link RabbitQueueTopology} with its retry tiers and dead-letter queue (and the gauge of their
 * length limits, {@link QueueLengthLimits}), and for every listener container Boot makes the broker-side
 * retry handling ({@link RetryTierRecoverer}) with requeue off.
 * <p>
 * The containers are adjusted through Boot's {@link ContainerCustomizer} hook. Boot applies a customizer
 * only when it is the only one of its type: a service that needs its own must call
 * {@link #applyRetryTiers(AbstractMessageListenerContainer, RetryTierRecoverer)} from it.
 */
@AutoConfiguration(afterName = "org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration")
@ConditionalOnClass(RabbitTemplate.class)
@ConditionalOnBean(ConnectionFactory.class)
@EnableConfigurationProperties(MessagingProperties.class)
public class RabbitMessagingAutoConfiguration {

	@Bean
	ConfirmedRabbitSender confirmedRabbitSender(ConnectionFactory connectionFactory, MessagingProperties messaging) {
		return new ConfirmedRabbitSender(connectionFactory, messaging.outbox().publishTimeout());
	}

	@Bean
	RabbitOutboxPublisher rabbitOutboxPublisher(ConfirmedRabbitSender sender) {
		return new RabbitOutboxPublisher(sender);
	}

	@Bean
	Declarables messagingQueueTopology(ObjectProvider<RabbitQueueTopology> topologies, MessagingProperties messaging) {
		return RabbitTopologyDeclarations.of(topologies.orderedStream().toList(), messaging.rabbit().retryDelays(),
				messaging.rabbit().deliveryLimit(), messaging.rabbit().maxLength());
	}

	@Bean
	QueueLengthLimits queueLengthLimits(ObjectProvider<RabbitQueueTopology> topologies, MessagingProperties messaging,
			ObjectProvider<MeterRegistry> registry, Environment environment) {
		// Without Micrometer's auto-configuration the gauges go to the global registry (a no-op unless used).
		return new QueueLengthLimits(registry.getIfUnique(() -> Metrics.globalRegistry),
				environment.getProperty("spring.application.name", "application"), topologies.orderedStream().toList(),
				messaging.rabbit().retryDelays().size(), messaging.rabbit().maxLength());
	}

	@Bean
	RetryTierRecoverer retryTierRecoverer(ObjectProvider<RabbitQueueTopology> topologies,
			ConfirmedRabbitSender sender, MessagingProperties messaging) {
		List<RabbitQueueTopology> all = topologies.orderedStream().toList();
		return new RetryTierRecoverer(all, messaging.rabbit().retryDelays().size(), sender,
				messaging.rabbit().deadLetterMessageLimit());
	}

	@Bean
	ContainerCustomizer<SimpleMessageListenerContainer> retryTiersForSimpleContainers(RetryTierRecoverer recoverer) {
		return (container) -> applyRetryTiers(container, recoverer);
	}

	@Bean
	ContainerCustomizer<DirectMessageListenerContainer> retryTiersForDirectContainers(RetryTierRecoverer recoverer) {
		return (container) -> applyRetryTiers(container, recoverer);
	}

	/**
	 * Failures go to the recoverer; whatever still ends in a reject is never requeued (it would be redelivered
	 * at once, forever) but dead-lettered by the broker. Replaces the container's advice chain, so Boot's
	 * {@code spring.rabbitmq.listener.*.retry} (in-memory retries on the listener thread) does not apply.
	 */
	public static void applyRetryTiers(AbstractMessageListenerContainer container, RetryTierRecoverer recoverer) {
		container.setAdviceChain(new RecoveringListenerAdvice(recoverer));
		container.setDefaultRequeueRejected(false);
	}

}

package com.example.shop.messaging.kafka;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Creates the topics a service declares once Kafka answers, however late.
 * <p>
 * Boot's {@link KafkaAdmin} tries once, while the context starts, and a service goes on starting when Kafka
 * is down or slow (its REST and gRPC APIs work without Kafka, and the outbox keeps messages until Kafka is
 * back). Brokers of this platform do not create topics on first use, so without a second attempt such a
 * service would run without its topics until restarted. This one tries again in the background, with growing
 * pauses, until every declared topic exists; when the first attempt succeeded it costs one metadata request.
 */
class DeclaredTopicsRetry implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(DeclaredTopicsRetry.class);

	private final ObjectProvider<KafkaAdmin> admin;

	private final Duration firstPause;

	private final Duration longestPause;

	private volatile Thread worker;

	DeclaredTopicsRetry(ObjectProvider<KafkaAdmin> admin, Duration firstPause, Duration longestPause) {
		this.admin = admin;
		this.firstPause = firstPause;
		this.longestPause = longestPause;
	}

	@Override
	public void start() {
		KafkaAdmin kafkaAdmin = this.admin.getIfAvailable();
		if (kafkaAdmin != null) {
			this.worker = Thread.ofVirtual().name("kafka-declared-topics").start(() -> createTopics(kafkaAdmin));
		}
	}

	private void createTopics(KafkaAdmin kafkaAdmin) {
		Duration pause = this.firstPause;
		while (!Thread.currentThread().isInterrupted()) {
			try {
				if (kafkaAdmin.initialize()) {
					return;
				}
				log.warn("Kafka did not create the declared topics yet; trying again in {}", pause);
			}
			catch (RuntimeException notYet) {
				// After startup KafkaAdmin reports a failure by throwing rather than by returning false.
				log.warn("Kafka did not create the declared topics yet ({}); trying again in {}", rootCause(notYet), pause);
			}
			try {
				Thread.sleep(pause);
			}
			catch (InterruptedException stopping) {
				return;
			}
			pause = (pause.compareTo(this.longestPause.dividedBy(2)) > 0) ? this.longestPause : pause.multipliedBy(2);
		}
	}

	private static String rootCause(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause.toString();
	}

	@Override
	public void stop() {
		Thread running = this.worker;
		if (running != null) {
			running.interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		Thread running = this.worker;
		return running != null && running.isAlive();
	}

}

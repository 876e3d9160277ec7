package com.example.shop.order.support;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.MessageEnvelopeCodec;
import com.example.shop.messaging.testsupport.KafkaTopicRecorder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plays inventory-service through the real Kafka broker: reads the commands order-service publishes on
 * {@code inventory.commands} and publishes replies on {@code inventory.replies}, as envelopes of
 * docs/messaging.md.
 */
public final class InventoryStandIn implements AutoCloseable {

	private final KafkaTopicRecorder commands;

	private final KafkaProducer<String, String> producer;

	private final String repliesTopic;

	public InventoryStandIn(String bootstrapServers, String commandsTopic, String repliesTopic) {
		this.commands = new KafkaTopicRecorder(bootstrapServers, commandsTopic);
		this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
				ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class, ProducerConfig.ACKS_CONFIG, "all"));
		this.repliesTopic = repliesTopic;
	}

	public KafkaTopicRecorder commands() {
		return this.commands;
	}

	public MessageEnvelope awaitCommand(UUID orderId, String type) {
		return this.commands.await(orderId, type);
	}

	public MessageEnvelope awaitCommand(UUID orderId, String type, int n) {
		return this.commands.await(orderId, type, n);
	}

	/** A reply to the order, e.g. {@code reply(id, "StockReserved", Map.of("orderId", id))}; returns it. */
	public MessageEnvelope reply(UUID orderId, String type, Object payload) {
		MessageEnvelope envelope = MessageEnvelope.create(type, 1, "inventory-service", orderId.toString(), payload);
		send(orderId.toString(), MessageEnvelopeCodec.encode(envelope));
		return envelope;
	}

	public MessageEnvelope reply(UUID orderId, String type) {
		return reply(orderId, type, Map.of("orderId", orderId));
	}

	/** The same envelope again (same id): a redelivery. */
	public void resend(MessageEnvelope envelope) {
		send(envelope.correlationId(), MessageEnvelopeCodec.encode(envelope));
	}

	public void send(String key, String value) {
		try {
			this.producer.send(new ProducerRecord<>(this.repliesTopic, key, value)).get(10, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException("could not publish to " + this.repliesTopic, ex);
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.commands.close();
		this.producer.close();
	}

}

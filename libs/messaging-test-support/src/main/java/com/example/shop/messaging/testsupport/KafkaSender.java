package com.example.shop.messaging.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.example.shop.messaging.envelope.EnvelopeHeaders;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.MessageEnvelopeCodec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes to the real broker as a service's outbox relay does: key, envelope JSON, identity headers. */
public final class KafkaSender implements AutoCloseable {

	private final KafkaProducer<String, String> producer;

	public KafkaSender(String bootstrapServers) {
		this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(),
				new StringSerializer());
	}

	/** Keyed by the envelope's correlation id (an order or product id), as the outbox publishes; waits for the ack. */
	public void send(String topic, MessageEnvelope envelope) {
		ProducerRecord<String, String> record = new ProducerRecord<>(topic, envelope.correlationId(),
				MessageEnvelopeCodec.encode(envelope));
		EnvelopeHeaders.of(envelope)
			.forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
		send(record);
	}

	/** Any key and value, for records no well-behaved producer would write. */
	public void sendRaw(String topic, String key, String value) {
		send(new ProducerRecord<>(topic, key, value));
	}

	private void send(ProducerRecord<String, String> record) {
		try {
			this.producer.send(record).get(10, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException("could not publish to " + record.topic(), ex);
		}
	}

	@Override
	public void close() {
		this.producer.close();
	}

}

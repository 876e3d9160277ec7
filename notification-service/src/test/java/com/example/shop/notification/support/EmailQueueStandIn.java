package com.example.shop.notification.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import com.example.shop.messaging.envelope.EnvelopeHeaders;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.MessageEnvelopeCodec;
import com.example.shop.notification.email.EmailQueue;
import com.example.shop.testsupport.TestTokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.awaitility.Awaitility.await;

/**
 * Publishes to {@code notification.email} as the service's outbox does, and plays the operator: what was parked
 * in {@code notification.email.dlq} is seen, and replayed, the way an operator does it, through the service's
 * dead-letter admin API (libs/messaging moves every parked message from the broker into that list), with an
 * admin's token.
 */
public final class EmailQueueStandIn {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** The operator: an admin's token of {@link TestTokens}' issuer (the test class uses {@code TOKENS}). */
	private static final String ADMIN = "Bearer " + TestTokens.issuer().admin();

	private final RabbitTemplate rabbit;

	private final RestTestClient admin;

	public EmailQueueStandIn(ConnectionFactory connectionFactory, RestTestClient admin) {
		this.rabbit = new RabbitTemplate(connectionFactory);
		this.admin = admin;
	}

	/** The parked (not yet replayed or discarded) dead letter of the SendEmail about this notification. */
	public Optional<JsonNode> parked(String notificationId) {
		String body = this.admin.get()
			.uri("/admin/dead-letters?source=" + EmailQueue.QUEUE)
			.header(HttpHeaders.AUTHORIZATION, ADMIN)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		for (JsonNode deadLetter : JSON.readTree(body)) {
			if (deadLetter.path("payload").asString().contains(notificationId)) {
				return Optional.of(deadLetter);
			}
		}
		return Optional.empty();
	}

	public JsonNode awaitParked(String notificationId, Duration atMost) {
		return await().atMost(atMost)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> parked(notificationId), Optional::isPresent)
			.orElseThrow();
	}

	/** Publishes an envelope to the exchange as the service's outbox does (id as message-id, identity headers). */
	public MessageEnvelope send(MessageEnvelope envelope) {
		MessageProperties properties = new MessageProperties();
		properties.setMessageId(envelope.id().toString());
		properties.setType(envelope.type());
		properties.setAppId(envelope.source());
		properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
		EnvelopeHeaders.of(envelope).forEach(properties::setHeader);
		this.rabbit.send(EmailQueue.EXCHANGE, EmailQueue.ROUTING_KEY,
				new Message(MessageEnvelopeCodec.encode(envelope).getBytes(StandardCharsets.UTF_8), properties));
		return envelope;
	}

	/** An operator's replay: {@code POST /admin/dead-letters/{id}/replay}, the original back into its queue. */
	public void replay(JsonNode deadLetter) {
		this.admin.post()
			.uri("/admin/dead-letters/{id}/replay", deadLetter.get("id").asString())
			.header(HttpHeaders.AUTHORIZATION, ADMIN)
			.exchange()
			.expectStatus()
			.isAccepted();
	}

}

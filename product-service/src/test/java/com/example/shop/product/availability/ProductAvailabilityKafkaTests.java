package com.example.shop.product.availability;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.example.shop.messaging.envelope.EnvelopeHeaders;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.MessageEnvelopeCodec;
import com.example.shop.messaging.kafka.KafkaTopics;
import com.example.shop.product.catalog.ProductCatalog;
import com.example.shop.messaging.testsupport.KafkaSender;
import com.example.shop.messaging.testsupport.KafkaTopicRecorder;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.TestTokens;
import com.example.shop.testsupport.UsesInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.client.RestTestClient;

import static com.example.shop.messaging.testsupport.KafkaTopicRecorder.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * inventory-service's {@code StockChanged} messages through the real Kafka broker, as its outbox publishes
 * them, keep the {@code available} flag at "units left": false at 0, true again when stock returns; the
 * cached product is evicted; stale and duplicate changes change nothing; malformed records go to
 * {@code inventory.stock-changes.DLT} and the changes behind them are applied.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.REDIS, Infrastructure.KAFKA, Infrastructure.TOKENS })
@Timeout(120)
class ProductAvailabilityKafkaTests {

	@Value("${spring.kafka.bootstrap-servers}")
	String bootstrapServers;

	@Value("${spring.kafka.consumer.group-id}")
	String consumerGroup;

	@Value("${spring.cache.redis.key-prefix}")
	String keyPrefix;

	@Autowired
	StockChangesTopic topic;

	@Autowired
	RestTestClient client;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	StringRedisTemplate redis;

	KafkaSender sender;

	@BeforeEach
	void connect() {
		this.sender = new KafkaSender(this.bootstrapServers);
	}

	@AfterEach
	void disconnect() {
		this.sender.close();
	}

	@Test
	void theFlagTurnsFalseWhenNoUnitIsLeftAndTrueAgainWhenStockReturns() {
		UUID product = seeded(1);
		assertAvailableOverHttp(product, true);
		assertThat(this.redis.hasKey(cacheKey(product))).as("cached").isTrue();
		long etag = row(product).version();

		// every unit reserved: none left to order
		send(stockChanged(product, 5, 5, 7));
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertAvailableOverHttp(product, false));

		// an operator PUT onHand 12 in inventory-service: 7 available again
		send(stockChanged(product, 12, 5, 8));
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertAvailableOverHttp(product, true));

		assertThat(row(product)).isEqualTo(new Row(true, 8L, etag + 2));
	}

	@Test
	void aChangeNotNewerThanTheAppliedOneIsIgnoredSoItCannotFlipTheFlagBack() {
		UUID product = seeded(2);
		send(stockChanged(product, 0, 0, 10));
		await().atMost(Duration.ofSeconds(30)).until(() -> row(product).stockVersion() == 10L);
		Row soldOut = row(product);
		assertThat(soldOut.available()).isFalse();

		// a late change from before (a new message id: a replay, or overtaken) ...
		send(stockChanged(product, 5, 0, 9));
		// ... and, behind it on the same partition, a newer one that leaves the flag as it is
		send(stockChanged(product, 0, 0, 11));
		await().atMost(Duration.ofSeconds(30)).until(() -> row(product).stockVersion() == 11L);

		assertThat(row(product)).as("never flipped back: same flag, same ETag").isEqualTo(new Row(false, 11L,
				soldOut.version()));
	}

	@Test
	void aMessageDeliveredTwiceIsAppliedOnce() {
		UUID product = seeded(3);
		long etag = row(product).version();
		MessageEnvelope soldOut = stockChanged(product, 0, 0, 1);

		send(soldOut);
		send(soldOut);
		send(stockChanged(product, 0, 0, 2));
		await().atMost(Duration.ofSeconds(30)).until(() -> row(product).stockVersion() == 2L);

		assertThat(row(product)).isEqualTo(new Row(false, 2L, etag + 1));
		assertThat(this.jdbc.sql("SELECT count(*) FROM inbox_message WHERE consumer = :consumer AND message_id = :id")
			.param("consumer", ProductAvailability.CONSUMER)
			.param("id", soldOut.id())
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	@Test
	void onceInventoryReportedTheStockACatalogEditDoesNotOverrideTheFlag() {
		String location = this.client.post()
			.uri("/api/products")
			.headers(headers -> headers.setBearerAuth(TestTokens.issuer().admin()))
			.contentType(MediaType.APPLICATION_JSON)
			.body(productJson("STOCK-0001", true))
			.exchange()
			.expectStatus()
			.isCreated()
			.returnResult(String.class)
			.getResponseHeaders()
			.getFirst(HttpHeaders.LOCATION);
		UUID product = UUID.fromString(location.substring("/api/products/".length()));

		send(stockChanged(product, 0, 0, 0));
		await().atMost(Duration.ofSeconds(30)).until(() -> Long.valueOf(0).equals(row(product).stockVersion()));

		this.client.put()
			.uri(location)
			.headers(headers -> headers.setBearerAuth(TestTokens.issuer().admin()))
			.contentType(MediaType.APPLICATION_JSON)
			.body(productJson("STOCK-0001", true))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.available")
			.isEqualTo(false);
	}

	@Test
	void malformedRecordsGoToTheDeadLetterTopicAtOnceAndTheChangesBehindThemAreApplied() throws Exception {
		UUID product = seeded(4);
		String notJson = "not json " + UUID.randomUUID();
		Map<MessageEnvelope, String> malformed = new LinkedHashMap<>();
		malformed.put(MessageEnvelope.create("StockReserved", 1, "inventory-service", product.toString(),
				Map.of("orderId", product)), "is not a message product-service.stock-changes reads (StockChanged)");
		malformed.put(MessageEnvelope.create("StockChanged", 2, "inventory-service", product.toString(),
				payload(product, 0, 0, 1)), "version 2 is not one this service reads (1)");
		Map<String, Object> noVersion = new LinkedHashMap<>(payload(product, 0, 0, 1));
		noVersion.remove("version");
		malformed.put(MessageEnvelope.create("StockChanged", 1, "inventory-service", product.toString(), noVersion),
				"lacks one of productId, available, version");
		Map<String, Object> badId = new LinkedHashMap<>(payload(product, 0, 0, 1));
		badId.put("productId", "42");
		malformed.put(MessageEnvelope.create("StockChanged", 1, "inventory-service", product.toString(), badId),
				"is about productId 42 but its correlationId is");
		Map<String, Object> badLevel = new LinkedHashMap<>(payload(product, 0, 0, 1));
		badLevel.put("available", "lots");
		malformed.put(MessageEnvelope.create("StockChanged", 1, "inventory-service", product.toString(), badLevel),
				"payload is not a valid StockChanged");

		try (KafkaTopicRecorder deadLetters = new KafkaTopicRecorder(this.bootstrapServers,
				KafkaTopics.deadLetterTopic(this.topic.stockChangesTopic()))) {
			this.sender.sendRaw(this.topic.stockChangesTopic(), product.toString(), notJson);
			malformed.keySet().forEach(this::send);
			send(stockChanged(product, 3, 3, 5));

			await().atMost(Duration.ofSeconds(30)).until(() -> Long.valueOf(5).equals(row(product).stockVersion()));
			assertThat(row(product).available()).isFalse();

			assertDeadLetter(deadLetters.awaitOne((record) -> notJson.equals(record.value())), "message is not JSON");
			for (Map.Entry<MessageEnvelope, String> message : malformed.entrySet()) {
				String id = message.getKey().id().toString();
				ConsumerRecord<String, String> deadLetter = deadLetters
					.awaitOne((record) -> id.equals(header(record, EnvelopeHeaders.MESSAGE_ID)));
				assertDeadLetter(deadLetter, message.getValue());
				assertThat(deadLetter.value()).as("the original record").isEqualTo(MessageEnvelopeCodec.encode(message.getKey()));
			}
		}
	}

	@Test
	void aChangeOfAProductTheCatalogDoesNotHaveIsSkippedNotDeadLettered() throws Exception {
		UUID product = seeded(5);
		MessageEnvelope unknown = stockChanged(UUID.randomUUID(), 0, 0, 3);
		try (KafkaTopicRecorder deadLetters = new KafkaTopicRecorder(this.bootstrapServers,
				KafkaTopics.deadLetterTopic(this.topic.stockChangesTopic()))) {
			// Keyed by the known product, so both land on one partition and the second is read after the first.
			this.sender.sendRaw(this.topic.stockChangesTopic(), product.toString(), MessageEnvelopeCodec.encode(unknown));
			send(stockChanged(product, 0, 0, 1));

			await().atMost(Duration.ofSeconds(30)).until(() -> Long.valueOf(1).equals(row(product).stockVersion()));
			assertThat(deadLetters.records((record) -> unknown.id().toString()
				.equals(header(record, EnvelopeHeaders.MESSAGE_ID)))).isEmpty();
		}
	}

	private void assertDeadLetter(ConsumerRecord<String, String> deadLetter, String why) {
		assertThat(header(deadLetter, "kafka_dlt-exception-fqcn") + " " + header(deadLetter, "kafka_dlt-exception-cause-fqcn"))
			.contains("MalformedMessageException");
		assertThat(header(deadLetter, "kafka_dlt-exception-message")).contains(why);
		assertThat(header(deadLetter, "kafka_dlt-original-topic")).isEqualTo(this.topic.stockChangesTopic());
		assertThat(header(deadLetter, "kafka_dlt-original-offset")).isNotBlank();
		assertThat(header(deadLetter, "kafka_dlt-original-consumer-group")).isEqualTo(this.consumerGroup);
	}

	private void assertAvailableOverHttp(UUID product, boolean available) {
		this.client.get()
			.uri("/api/products/{id}", product)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.available")
			.isEqualTo(available);
	}

	private void send(MessageEnvelope message) {
		this.sender.send(this.topic.stockChangesTopic(), message);
	}

	private String cacheKey(UUID product) {
		return this.keyPrefix + ProductCatalog.CACHE + "::" + product;
	}

	private Row row(UUID product) {
		return this.jdbc.sql("SELECT available, stock_version, version FROM product WHERE id = :id")
			.param("id", product)
			.query((rs, n) -> new Row(rs.getBoolean("available"), rs.getObject("stock_version", Long.class),
					rs.getLong("version")))
			.single();
	}

	/** The flag, the stock version it was set from, and the product's own version (ETag). */
	record Row(boolean available, Long stockVersion, long version) {
	}

	/** As inventory-service publishes it (StockChangedPayload there): the whole stock after a change. */
	static MessageEnvelope stockChanged(UUID product, int onHand, int reserved, long version) {
		return MessageEnvelope.create("StockChanged", 1, "inventory-service", product.toString(),
				payload(product, onHand, reserved, version));
	}

	static Map<String, Object> payload(UUID product, int onHand, int reserved, long version) {
		return Map.of("productId", product, "onHand", onHand, "reserved", reserved, "available", onHand - reserved,
				"version", version, "at", Instant.now().toString());
	}

	static UUID seeded(int n) {
		return UUID.fromString("00000000-0000-4000-8000-%012d".formatted(n));
	}

	static String productJson(String sku, boolean available) {
		return """
				{"sku": "%s", "name": "Stock-driven product", "category": "toys", "price": 9.99, "currency": "EUR",
				 "available": %s}""".formatted(sku, available);
	}

}

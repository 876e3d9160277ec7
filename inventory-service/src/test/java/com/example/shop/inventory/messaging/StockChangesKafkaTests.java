package com.example.shop.inventory.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.example.shop.inventory.reservation.ReservationExpiry;
import com.example.shop.inventory.reservation.ReservationLine;
import com.example.shop.inventory.reservation.StockReservations;
import com.example.shop.inventory.stock.StockLevels;
import com.example.shop.messaging.testsupport.KafkaTopicRecorder;
import com.example.shop.messaging.envelope.EnvelopeHeaders;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.inventory.support.TestCatalog;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.TestTokens;
import com.example.shop.testsupport.UsesInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.transaction.support.TransactionTemplate;

import static com.example.shop.messaging.testsupport.KafkaTopicRecorder.envelope;
import static com.example.shop.messaging.testsupport.KafkaTopicRecorder.header;
import static com.example.shop.messaging.testsupport.KafkaTopicRecorder.keyed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Every committed stock change is published as {@code StockChanged} v1 on {@code inventory.stock-changes}
 * (through the outbox, key = correlation id = product id), whatever made it: an operator's PUT, a
 * reservation, its confirmation, release or expiry. A change that rolled back is never published.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA, Infrastructure.TOKENS })
@Timeout(120)
class StockChangesKafkaTests {

	@DynamicPropertySource
	static void catalog(DynamicPropertyRegistry registry) {
		TestCatalog.register(registry);
	}

	@Value("${spring.kafka.bootstrap-servers}")
	String bootstrapServers;

	@Autowired
	InventoryMessagingProperties topics;

	@Autowired
	RestTestClient client;

	@Autowired
	StockLevels levels;

	@Autowired
	StockReservations reservations;

	@Autowired
	ReservationExpiry expiry;

	@Autowired
	TransactionTemplate transactions;

	KafkaTopicRecorder stockChanges;

	@BeforeEach
	void connect() {
		this.stockChanges = new KafkaTopicRecorder(this.bootstrapServers, this.topics.stockChangesTopic());
	}

	@AfterEach
	void disconnect() throws InterruptedException {
		this.stockChanges.close();
	}

	@Test
	void everyChangeIsPublishedWithTheWholeNewStateInOrder() {
		UUID product = UUID.randomUUID();
		UUID confirmed = UUID.randomUUID();
		UUID released = UUID.randomUUID();
		UUID expired = UUID.randomUUID();
		Instant before = Instant.now().minusMillis(1);

		put(product, 10); // 0: created by an operator
		this.reservations.reserve(confirmed, List.of(new ReservationLine(product, 3))); // 1
		this.reservations.confirm(confirmed); // 2
		this.reservations.reserve(released, List.of(new ReservationLine(product, 2))); // 3
		this.reservations.release(released); // 4
		this.reservations.reserve(expired, List.of(new ReservationLine(product, 7))); // 5
		this.expiry.expireDue(Instant.now().plus(Duration.ofMinutes(16))); // 6
		put(product, 0); // 7: sold out
		put(product, 4); // 8: back in stock

		List<ConsumerRecord<String, String>> records = this.stockChanges.await(keyed(product), 9, Duration.ofSeconds(30));
		assertThat(records).hasSize(9);
		int[][] expected = { { 10, 0 }, { 10, 3 }, { 7, 0 }, { 7, 2 }, { 7, 0 }, { 7, 7 }, { 7, 0 }, { 0, 0 }, { 4, 0 } };
		for (int i = 0; i < expected.length; i++) {
			ConsumerRecord<String, String> record = records.get(i);
			MessageEnvelope message = envelope(record);
			assertThat(record.key()).isEqualTo(product.toString());
			assertThat(message.type()).isEqualTo("StockChanged");
			assertThat(message.version()).isEqualTo(1);
			assertThat(message.source()).isEqualTo("inventory-service");
			assertThat(message.correlationId()).isEqualTo(product.toString());
			assertThat(header(record, EnvelopeHeaders.MESSAGE_ID)).isEqualTo(message.id().toString());
			assertThat(header(record, EnvelopeHeaders.MESSAGE_TYPE)).isEqualTo("StockChanged");
			JsonNode payload = message.payload();
			assertThat(payload.get("productId").asString()).isEqualTo(product.toString());
			assertThat(payload.get("onHand").asInt()).as("onHand of change %d", i).isEqualTo(expected[i][0]);
			assertThat(payload.get("reserved").asInt()).as("reserved of change %d", i).isEqualTo(expected[i][1]);
			assertThat(payload.get("available").asInt()).isEqualTo(expected[i][0] - expected[i][1]);
			assertThat(payload.get("version").asLong()).isEqualTo(i);
			assertThat(Instant.parse(payload.get("at").asString())).isBetween(before, Instant.now());
		}
	}

	@Test
	void aChangeThatRollsBackIsNeverPublished() {
		UUID product = UUID.randomUUID();
		UUID unknown = new UUID(-1, -1);
		this.levels.setOnHand(product, 5);

		this.transactions.executeWithoutResult((tx) -> {
			this.levels.setOnHand(product, 6);
			tx.setRollbackOnly();
		});
		assertThatIllegalStateException().isThrownBy(() -> this.transactions.executeWithoutResult((tx) -> {
			this.levels.setOnHand(product, 7);
			throw new IllegalStateException("failing after the change");
		}));
		// the product's line is held first, then the unknown one fails: rolled back to the savepoint
		this.reservations.reserve(UUID.randomUUID(), List.of(new ReservationLine(product, 1), new ReservationLine(unknown, 1)));
		this.levels.setOnHand(product, 9);

		List<ConsumerRecord<String, String>> records = this.stockChanges.await(
				(record) -> keyed(product).test(record) && envelope(record).payload().get("onHand").asInt() == 9, 1,
				Duration.ofSeconds(30));
		assertThat(records).hasSize(1);
		assertThat(this.stockChanges.records(keyed(product)))
			.extracting((record) -> envelope(record).payload().get("onHand").asInt())
			.containsExactly(5, 9);
	}

	private void put(UUID product, int onHand) {
		this.client.put()
			.uri("/api/inventory/{id}", product)
			.headers(headers -> headers.setBearerAuth(TestTokens.issuer().admin()))
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"onHand\": " + onHand + "}")
			.exchange()
			.expectStatus()
			.is2xxSuccessful();
	}

}

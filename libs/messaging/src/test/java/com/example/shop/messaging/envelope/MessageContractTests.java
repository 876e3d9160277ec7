package com.example.shop.messaging.envelope;

import java.time.Instant;
import java.util.UUID;

import com.google.protobuf.Timestamp;
import org.junit.jupiter.api.Test;

import com.example.shop.proto.inventory.messages.v1.ReserveStock;
import com.example.shop.proto.inventory.messages.v1.ReservedLine;
import com.example.shop.proto.inventory.messages.v1.StockChanged;
import com.example.shop.proto.notification.messages.v1.SendEmail;
import com.example.shop.proto.payment.messages.v1.AuthorizePayment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the contracts of proto/ put on the wire, and what a consumer accepts: the type and version come from the
 * generated class, the correlation field is checked against the envelope, and the JSON the services wrote
 * before proto/ described their messages (numbers for amounts and versions) still reads.
 */
class MessageContractTests {

	static final String ORDER = "0b9c2f2e-55c8-4a57-a2a8-58a1d5c6f0a1";

	@Test
	void typeAndVersionComeFromTheProtoMessageAndItsPackage() {
		MessageContract<ReserveStock> contract = MessageContract.of(ReserveStock.class);
		assertThat(contract.type()).isEqualTo("ReserveStock");
		assertThat(contract.version()).isEqualTo(1);
		assertThat(contract.correlated()).isTrue();
		assertThat(MessageContract.of(SendEmail.class).correlated()).isFalse();
	}

	@Test
	void anEnvelopeTakesItsCorrelationIdFromTheMarkedField() {
		MessageEnvelope envelope = MessageEnvelope.of("order-service", reserve(ORDER));
		assertThat(envelope.type()).isEqualTo("ReserveStock");
		assertThat(envelope.version()).isEqualTo(1);
		assertThat(envelope.correlationId()).isEqualTo(ORDER);
		assertThat(envelope.payload().toString())
			.isEqualTo("{\"orderId\":\"" + ORDER + "\",\"lines\":[{\"productId\":\"p-1\",\"quantity\":0}]}");
	}

	@Test
	void whatIsWrittenReadsBackThroughTheCodec() {
		MessageEnvelope sent = MessageEnvelope.of("order-service", reserve(ORDER));
		MessageEnvelope received = MessageEnvelopeCodec.decode(MessageEnvelopeCodec.encode(sent));
		assertThat(MessageContract.of(ReserveStock.class).read(received)).isEqualTo(reserve(ORDER));
	}

	@Test
	void theJsonOfEarlierVersionsStillReads() {
		// As order-service wrote it with Jackson before: the amount a JSON number.
		MessageEnvelope authorize = envelope("AuthorizePayment", ORDER, """
				{"orderId":"%s","customerId":null,"amount":25.90,"currency":"EUR","token":"tok_ok","extra":1}
				""".formatted(ORDER));
		AuthorizePayment payment = MessageContract.of(AuthorizePayment.class).read(authorize);
		assertThat(payment.getAmount()).isEqualTo("25.90");
		assertThat(payment.getCustomerId()).isEmpty();

		// As inventory-service wrote it: the version a number, the instant Instant.toString().
		MessageEnvelope change = envelope("StockChanged", "p-1", """
				{"productId":"p-1","onHand":5,"reserved":5,"available":0,"version":12,"at":"2026-11-21T19:45:03.120Z"}
				""");
		StockChanged stock = MessageContract.of(StockChanged.class).read(change);
		assertThat(stock.hasAvailable()).isTrue();
		assertThat(stock.getAvailable()).isZero();
		assertThat(stock.getVersion()).isEqualTo(12L);
		Instant at = Instant.parse("2026-11-21T19:45:03.120Z");
		assertThat(stock.getAt())
			.isEqualTo(Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build());
	}

	@Test
	void aZeroWithPresenceIsWrittenAndAMissingOneIsNotInvented() {
		StockChanged zero = StockChanged.newBuilder().setProductId("p-1").setAvailable(0).build();
		assertThat(MessageContract.of(StockChanged.class).toJson(zero)).isEqualTo("{\"productId\":\"p-1\",\"available\":0}");
		StockChanged read = MessageContract.of(StockChanged.class).read(envelope("StockChanged", "p-1", "{\"productId\":\"p-1\"}"));
		assertThat(read.hasAvailable()).isFalse();
	}

	@Test
	void aPayloadAboutAnotherTransactionThanItsEnvelopeIsMalformed() {
		String other = UUID.randomUUID().toString();
		assertThatThrownBy(() -> MessageContract.of(ReserveStock.class)
			.read(envelope("ReserveStock", other, "{\"orderId\":\"" + ORDER + "\"}")))
			.isInstanceOf(MalformedMessageException.class)
			.hasMessageContaining("is about orderId " + ORDER + " but its correlationId is '" + other + "'");
		assertThatThrownBy(() -> MessageContract.of(ReserveStock.class).read(envelope("ReserveStock", ORDER, "{}")))
			.isInstanceOf(MalformedMessageException.class)
			.hasMessageEndingWith("has no orderId");
	}

	@Test
	void anotherVersionATypeMismatchAndAPayloadThatDoesNotFitAreMalformed() {
		MessageEnvelope v2 = new MessageEnvelope(UUID.randomUUID(), "ReserveStock", 2, "test", Instant.now(), ORDER, null,
				null, MessageEnvelopeCodec.readTree("{\"orderId\":\"" + ORDER + "\"}"));
		assertThatThrownBy(() -> MessageContract.of(ReserveStock.class).read(v2))
			.isInstanceOf(MalformedMessageException.class)
			.hasMessageContaining("version 2 is not one this service reads (1)");
		assertThatThrownBy(() -> MessageContract.of(ReserveStock.class).read(envelope("StockReserved", ORDER, "{}")))
			.isInstanceOf(MalformedMessageException.class)
			.hasMessageContaining("is not a ReserveStock");
		assertThatThrownBy(() -> MessageContract.of(ReserveStock.class)
			.read(envelope("ReserveStock", ORDER, "{\"orderId\":\"" + ORDER + "\",\"lines\":[{\"quantity\":\"many\"}]}")))
			.isInstanceOf(MalformedMessageException.class)
			.hasMessageContaining("payload is not a valid ReserveStock");
	}

	private static ReserveStock reserve(String orderId) {
		return ReserveStock.newBuilder()
			.setOrderId(orderId)
			.addLines(ReservedLine.newBuilder().setProductId("p-1").setQuantity(0))
			.build();
	}

	private static MessageEnvelope envelope(String type, String correlationId, String payload) {
		return new MessageEnvelope(UUID.randomUUID(), type, 1, "test", Instant.now(), correlationId, null, null,
				MessageEnvelopeCodec.readTree(payload));
	}

}

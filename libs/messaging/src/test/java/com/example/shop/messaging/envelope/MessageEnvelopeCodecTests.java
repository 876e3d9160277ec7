package com.example.shop.messaging.envelope;

import java.util.UUID;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.example.shop.messaging.TestMessages;
import com.example.shop.messaging.TestMessages.TestPayload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The envelope's JSON shape, and refusals that say precisely what is wrong. */
class MessageEnvelopeCodecTests {

	private static final String VALID = """
			{"id":"6f1c1d2e-8a9b-4c3d-9e8f-0a1b2c3d4e5f","type":"ReserveStock","version":1,"source":"order-service",
			 "time":"2026-01-02T03:04:05.678Z","correlationId":"order-1",
			 "traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01","tracestate":"shop=1",
			 "payload":{"mode":"ok","sequence":7}}""";

	@Test
	void roundTripsEveryField() {
		MessageEnvelope envelope = MessageEnvelopeCodec.decode(VALID);

		assertThat(envelope.id()).isEqualTo(UUID.fromString("6f1c1d2e-8a9b-4c3d-9e8f-0a1b2c3d4e5f"));
		assertThat(envelope.type()).isEqualTo("ReserveStock");
		assertThat(envelope.version()).isEqualTo(1);
		assertThat(envelope.source()).isEqualTo("order-service");
		assertThat(envelope.time()).hasToString("2026-01-02T03:04:05.678Z");
		assertThat(envelope.correlationId()).isEqualTo("order-1");
		assertThat(envelope.traceparent()).isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
		assertThat(envelope.tracestate()).isEqualTo("shop=1");
		assertThat(envelope.payloadAs(TestPayload.class)).isEqualTo(new TestPayload("ok", 7));
		assertThat(MessageEnvelopeCodec.decode(MessageEnvelopeCodec.encode(envelope))).isEqualTo(envelope);
	}

	@Test
	void writesTheDocumentedShape() {
		MessageEnvelope envelope = TestMessages.envelope("order-9", "ok", 3);

		String json = MessageEnvelopeCodec.encode(envelope);

		assertThat(json).startsWith("{\"id\":\"" + envelope.id() + "\",\"type\":\"TestHappened\",\"version\":1,"
				+ "\"source\":\"messaging-test\",\"time\":\"" + envelope.time() + "\",\"correlationId\":\"order-9\","
				+ "\"payload\":{\"mode\":\"ok\",\"sequence\":3}}");
		assertThat(envelope.time().toString()).endsWith("Z");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			not json                                  | {"id":                                                | message is not JSON
			not an object                             | [1,2]                                                 | message is not a JSON object
			empty                                     | '  '                                                  | message has no body
			missing id                                | {"type":"T","version":1}                              | id is missing
			id not a uuid                             | {"id":"42"}                                           | id is not a UUID: '42'
			id not canonical                          | {"id":"1-1-1-1-1"}                                    | id is not a UUID: '1-1-1-1-1'
			id a number                               | {"id":42}                                             | id is not a string
			missing type                              | {"id":"6f1c1d2e-8a9b-4c3d-9e8f-0a1b2c3d4e5f"}          | type is missing
			blank type                                | {"id":"6f1c1d2e-8a9b-4c3d-9e8f-0a1b2c3d4e5f","type":" "} | type is blank
			""")
	void refusesMalformedEnvelopesNamingWhatIsWrong(String name, String body, String expected) {
		assertThatThrownBy(() -> MessageEnvelopeCodec.decode(body)).isInstanceOf(MalformedMessageException.class)
			.hasMessageStartingWith(expected);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			version missing       | "version":1,                              | ''                   | version is missing
			version zero          | "version":1,                              | "version":0,         | version is not a whole number of 1 or more: 0
			version text          | "version":1,                              | "version":"1",       | version is not a whole number of 1 or more
			source missing        | "source":"order-service",                 | ''                   | source is missing
			time not iso          | "time":"2026-01-02T03:04:05.678Z",        | "time":"yesterday",  | time is not an ISO-8601 UTC instant: 'yesterday'
			correlation missing   | "correlationId":"order-1",                | ''                   | correlationId is missing
			traceparent a number  | "traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", | "traceparent":1, | traceparent is not a string
			""")
	void refusesEachBrokenField(String name, String field, String replacement, String expected) {
		String body = VALID.replace(field, replacement);
		assertThat(body).isNotEqualTo(VALID);

		assertThatThrownBy(() -> MessageEnvelopeCodec.decode(body)).isInstanceOf(MalformedMessageException.class)
			.hasMessageStartingWith(expected);
	}

	@Test
	void refusesAMissingOrNonObjectPayload() {
		String withoutPayload = VALID.substring(0, VALID.indexOf(",\n \"payload\"")) + "}";
		assertThatThrownBy(() -> MessageEnvelopeCodec.decode(withoutPayload))
			.isInstanceOf(MalformedMessageException.class)
			.hasMessage("payload is missing");
		assertThatThrownBy(() -> MessageEnvelopeCodec.decode(VALID.replace("{\"mode\":\"ok\",\"sequence\":7}", "\"x\"")))
			.isInstanceOf(MalformedMessageException.class)
			.hasMessage("payload is not a JSON object");
	}

	@Test
	void payloadOfTheWrongShapeIsMalformedAndUnknownFieldsAreTolerated() {
		MessageEnvelope envelope = MessageEnvelopeCodec
			.decode(VALID.replace("\"sequence\":7", "\"sequence\":\"seven\",\"addedInALaterRelease\":true"));

		assertThatThrownBy(() -> envelope.payloadAs(TestPayload.class)).isInstanceOf(MalformedMessageException.class)
			.hasMessageContaining("ReserveStock v1")
			.hasMessageContaining("payload is not a valid TestPayload");
		MessageEnvelope tolerated = MessageEnvelopeCodec.decode(VALID.replace("\"sequence\":7", "\"sequence\":7,\"extra\":1"));
		assertThat(tolerated.payloadAs(TestPayload.class)).isEqualTo(new TestPayload("ok", 7));
	}

	@Test
	void createTakesTheCurrentTraceContextWhenASourceIsInstalled() {
		assertThat(TestMessages.envelope("ok").traceparent()).isNull();

		Supplier<TraceContext> tracing = () -> new TraceContext("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
				"vendor=1");
		TraceContext.install(tracing);
		try {
			MessageEnvelope envelope = TestMessages.envelope("ok");
			assertThat(envelope.traceparent()).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
			assertThat(envelope.tracestate()).isEqualTo("vendor=1");
			assertThat(EnvelopeHeaders.of(envelope)).containsEntry(EnvelopeHeaders.TRACEPARENT, envelope.traceparent())
				.containsEntry(EnvelopeHeaders.MESSAGE_ID, envelope.id().toString())
				.containsEntry(EnvelopeHeaders.CORRELATION_ID, envelope.correlationId());
		}
		finally {
			TraceContext.uninstall(tracing);
		}
		assertThat(TestMessages.envelope("ok").traceparent()).isNull();
	}

	@Test
	void aFailingTraceSourceNeverFailsTheMessage() {
		Supplier<TraceContext> broken = () -> {
			throw new IllegalStateException("tracer gone");
		};
		TraceContext.install(broken);
		try {
			assertThat(TestMessages.envelope("ok").traceparent()).isNull();
		}
		finally {
			TraceContext.uninstall(broken);
		}
	}

	@Test
	void createRefusesAPayloadThatIsNotAnObject() {
		assertThatThrownBy(() -> MessageEnvelope.create("T", 1, "s", "c", "just text"))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("JSON object");
	}

}

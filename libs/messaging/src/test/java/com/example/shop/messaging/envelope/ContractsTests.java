package com.example.shop.messaging.envelope;

import java.util.List;
import java.util.UUID;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.util.JsonFormat;
import org.junit.jupiter.api.Test;

import com.example.shop.proto.inventory.messages.v1.ReserveStock;
import com.example.shop.proto.messaging.v1.Envelope;
import com.example.shop.proto.order.messages.v1.OrderCancelled;
import com.example.shop.proto.order.messages.v1.OrderConfirmed;
import com.example.shop.proto.order.messages.v1.OrderFailed;
import com.example.shop.proto.order.messages.v1.OrderPlaced;
import com.example.shop.proto.order.messages.v1.OrderStatusChanged;
import com.example.shop.proto.order.messages.v1.OrderSummary;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What proto/ promises about the asynchronous messages, kept true: the envelope the codec writes is the
 * {@code shop.messaging.v1.Envelope} of envelope.proto, field for field, and every order lifecycle event carries
 * the fields of {@code OrderSummary} under the same numbers and types, so readers may read any event as one.
 */
class ContractsTests {

	@Test
	void theCodecWritesTheEnvelopeOfEnvelopeProto() throws Exception {
		String order = UUID.randomUUID().toString();
		MessageEnvelope sent = MessageEnvelope.of("order-service",
				ReserveStock.newBuilder().setOrderId(order).build());
		String json = MessageEnvelopeCodec.encode(sent);

		Envelope.Builder envelope = Envelope.newBuilder();
		// Not ignoring unknown fields: a field the codec writes and envelope.proto lacks fails here.
		JsonFormat.parser().merge(json, envelope);

		assertThat(envelope.getId()).isEqualTo(sent.id().toString());
		assertThat(envelope.getType()).isEqualTo("ReserveStock");
		assertThat(envelope.getVersion()).isEqualTo(1);
		assertThat(envelope.getSource()).isEqualTo("order-service");
		assertThat(PayloadFields.instant(envelope.getTime())).isEqualTo(sent.time());
		assertThat(envelope.getCorrelationId()).isEqualTo(order);
		assertThat(envelope.getPayload().getFieldsMap().get("orderId").getStringValue()).isEqualTo(order);
	}

	@Test
	void everyOrderLifecycleEventIsWireIdenticalToTheOrderSummary() {
		Descriptor summary = OrderSummary.getDescriptor();
		for (Descriptor event : List.of(OrderPlaced.getDescriptor(), OrderStatusChanged.getDescriptor(),
				OrderConfirmed.getDescriptor(), OrderCancelled.getDescriptor(), OrderFailed.getDescriptor())) {
			assertThat(event.getFields()).as(event.getName()).hasSameSizeAs(summary.getFields());
			for (FieldDescriptor field : summary.getFields()) {
				FieldDescriptor same = event.findFieldByNumber(field.getNumber());
				assertThat(same).as(event.getName() + " field " + field.getNumber()).isNotNull();
				assertThat(same.getName()).as(event.getName() + "." + same.getName()).isEqualTo(field.getName());
				assertThat(same.getType()).as(event.getName() + "." + same.getName()).isEqualTo(field.getType());
				assertThat(same.isRepeated()).as(event.getName() + "." + same.getName()).isEqualTo(field.isRepeated());
				assertThat(same.getOptions()).as(event.getName() + "." + same.getName()).isEqualTo(field.getOptions());
				if (field.getType() == FieldDescriptor.Type.MESSAGE) {
					assertThat(same.getMessageType()).isEqualTo(field.getMessageType());
				}
			}
		}
	}

}

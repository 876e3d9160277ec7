package com.example.shop.notification.web;

import com.example.shop.notification.live.OrderStatusUpdate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

/**
 * The WebSocket's one message: {@code {"orderId", "status", "cancellationReason", "at"}} as JSON text, every key
 * always present ({@code cancellationReason} null unless set), {@code at} ISO-8601 UTC.
 */
@Component
class OrderStatusFrames {

	private final JsonMapper json;

	OrderStatusFrames(JsonMapper json) {
		this.json = json;
	}

	String write(OrderStatusUpdate update) {
		ObjectNode frame = this.json.createObjectNode();
		frame.put("orderId", update.orderId().toString());
		frame.put("status", update.status().name());
		frame.put("cancellationReason", update.cancellationReason());
		frame.put("at", update.at().toString());
		return this.json.writeValueAsString(frame);
	}

}

package com.example.shop.notification.web;

import java.util.List;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.PathParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The live order status in notification-service's OpenAPI description. springdoc sees controllers only, and this
 * is a WebSocket ({@link LiveWebSocketConfiguration}): it is described by the GET its handshake is, so that clients
 * find it beside the other endpoints, with the refusals of {@link OrderStatusHandshake} and of the gateway.
 * libs/openapi adds the problem+json content and what every operation answers (401, 429).
 */
@Configuration(proxyBeanMethods = false)
class LiveStatusDescription {

	@Bean
	OpenApiCustomizer liveOrderStatus() {
		return openApi -> openApi.path("/ws/orders/{id}", new PathItem().get(new Operation()
			.operationId("watchOrderStatus")
			.summary("The live status of an order (a WebSocket)")
			.description("Not a plain GET: open a WebSocket at ws://<gateway>/ws/orders/{id} (Swagger UI cannot). "
					+ "The server sends a JSON text frame with the current status at once, then one per change: "
					+ "{\"orderId\", \"status\", \"cancellationReason\", \"at\"}; the client sends nothing. The "
					+ "connection is closed with 1008 when the token expires (connect again with a fresh one) and "
					+ "with 1000 30 s after the order reached CONFIRMED, CANCELLED or FAILED.")
			.tags(List.of("Live order status"))
			.parameters(List.of(
					new PathParameter().name("id").description("The order's id")
						.schema(new StringSchema().format("uuid")),
					new HeaderParameter().name("Sec-WebSocket-Protocol")
						.description("bearer, <token>: how a browser, which cannot set Authorization on a WebSocket, "
								+ "sends its token (not both ways)")
						.schema(new StringSchema())))
			.responses(new ApiResponses()
				.addApiResponse("101", new ApiResponse().description("Switched to the WebSocket protocol"))
				.addApiResponse("400", new ApiResponse().description("The id is not a UUID, the request is no "
						+ "WebSocket upgrade, or a token was sent both as a header and as a subprotocol"))
				.addApiResponse("403", new ApiResponse()
					.description("No role customer or admin, or a browser origin that is not allowed"))
				.addApiResponse("404", new ApiResponse().description("No such order, or another customer's"))
				.addApiResponse("426", new ApiResponse().description("Sec-WebSocket-Version is not 13"))
				.addApiResponse("503", new ApiResponse()
					.description("Whose order it is cannot be checked right now: retry after Retry-After seconds")))));
	}

}

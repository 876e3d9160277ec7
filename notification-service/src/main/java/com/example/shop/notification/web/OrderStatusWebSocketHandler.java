package com.example.shop.notification.web;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.example.shop.notification.live.OrderStatusProjection;
import com.example.shop.notification.live.OrderStatusUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.SubProtocolCapable;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * {@code /ws/orders/{id}} after the handshake: registers the session, sends the current status, and removes
 * the session when it closes or its transport fails. Clients send nothing; what they send is ignored.
 * <p>
 * Speaks the subprotocol {@code bearer}: a browser cannot set an Authorization header on a WebSocket, so it offers
 * the subprotocols {@code bearer, <jwt>} at the gateway, which turns the token into the header. Should the offer
 * reach this service too, {@code bearer} is chosen (never the token), so the handshake completes as the browser
 * expects; a client that offers no subprotocol gets none.
 */
class OrderStatusWebSocketHandler extends AbstractWebSocketHandler implements SubProtocolCapable {

	/** The subprotocol that carries a browser's token to the gateway. */
	static final String BEARER_SUBPROTOCOL = "bearer";

	private static final Logger log = LoggerFactory.getLogger(OrderStatusWebSocketHandler.class);

	private final OrderStatusSessions sessions;

	private final OrderStatusProjection projection;

	OrderStatusWebSocketHandler(OrderStatusSessions sessions, OrderStatusProjection projection) {
		this.sessions = sessions;
		this.projection = projection;
	}

	/**
	 * Registered first, read second: an event pushed before the registration is in the projection already (the
	 * feed writes before it pushes), one pushed after reaches the session; the session keeps the later of the
	 * two, so the order of the race does not matter.
	 */
	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		UUID orderId = (UUID) session.getAttributes().get(OrderStatusHandshake.ORDER_ID);
		OrderStatusUpdate known = (OrderStatusUpdate) session.getAttributes().get(OrderStatusHandshake.KNOWN_STATUS);
		Instant tokenExpiresAt = (Instant) session.getAttributes().get(OrderStatusHandshake.TOKEN_EXPIRES_AT);
		LiveOrderSession live = this.sessions.register(orderId, session, tokenExpiresAt);
		OrderStatusUpdate current = this.projection.findForClient(orderId)
			.map(projected -> projected.latest(known))
			.orElse(known);
		if (current != null) {
			live.offer(current);
		}
	}

	@Override
	public List<String> getSubProtocols() {
		return List.of(BEARER_SUBPROTOCOL);
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) {
		// Nothing to say to this endpoint.
	}

	@Override
	protected void handlePongMessage(WebSocketSession session, PongMessage message) {
		this.sessions.ponged(session.getId());
	}

	@Override
	public void handleTransportError(WebSocketSession session, Throwable exception) {
		log.debug("Live session {} failed: {}", session.getId(), exception.toString());
		this.sessions.remove(session.getId());
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		this.sessions.remove(session.getId());
	}

}

package com.example.shop.notification.live;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** A real WebSocket client (Tomcat's JSR-356 client) on one order's status: keeps the frames it got, in order. */
final class StatusClient extends TextWebSocketHandler implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();

	private volatile CloseStatus closed;

	private WebSocketSession session;

	/** Connects with {@code Authorization: Bearer <token>}, as the gateway forwards a client's token. */
	static StatusClient connect(StandardWebSocketClient client, String uri, String token) throws Exception {
		WebSocketHttpHeaders headers = new WebSocketHttpHeaders();
		headers.setBearerAuth(token);
		return connect(client, uri, headers);
	}

	static StatusClient connect(StandardWebSocketClient client, String uri, WebSocketHttpHeaders headers)
			throws Exception {
		StatusClient handler = new StatusClient();
		handler.session = client.execute(handler, headers, URI.create(uri)).get(10, TimeUnit.SECONDS);
		return handler;
	}

	/** The subprotocol the server chose (empty: none). */
	String acceptedProtocol() {
		return this.session.getAcceptedProtocol();
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) {
		this.frames.add(JSON.readTree(message.getPayload()));
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		this.closed = status;
	}

	/** The next frame, within 10 s. */
	JsonNode next() throws InterruptedException {
		JsonNode frame = this.frames.poll(10, TimeUnit.SECONDS);
		if (frame == null) {
			fail("no status frame within 10 s");
		}
		return frame;
	}

	/** The next frame within the timeout, or null. */
	JsonNode poll(Duration timeout) throws InterruptedException {
		return this.frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	void assertNothingFor(Duration quiet) throws InterruptedException {
		JsonNode frame = this.frames.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(frame).as("a frame that should not have been sent").isNull();
	}

	CloseStatus closedStatus() {
		return this.closed;
	}

	boolean isOpen() {
		return this.session.isOpen();
	}

	@Override
	public void close() throws Exception {
		if (this.session.isOpen()) {
			this.session.close();
		}
	}

}

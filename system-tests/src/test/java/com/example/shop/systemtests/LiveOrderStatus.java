package com.example.shop.systemtests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A browser's view of {@code /ws/orders/{id}}: a real WebSocket client (the JDK's) that keeps every status
 * message it receives, in order.
 */
final class LiveOrderStatus implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final List<JsonNode> messages = new CopyOnWriteArrayList<>();

	private final WebSocket socket;

	private LiveOrderStatus(URI uri, String token) {
		// As a browser sends it: the token as the second of the subprotocols "bearer, <token>" (browsers cannot set
		// an Authorization header on a WebSocket); the gateway turns it into the header the service checks.
		this.socket = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.subprotocols("bearer", token)
			.connectTimeout(Duration.ofSeconds(5))
			.buildAsync(uri, new Collector())
			.orTimeout(10, TimeUnit.SECONDS)
			.join();
	}

	/** Connects to {@code ws://<gateway>/ws/orders/<orderId>} as the holder of {@code token}. */
	static LiveOrderStatus connect(String gatewayBaseUrl, String orderId, String token) {
		return new LiveOrderStatus(URI.create(gatewayBaseUrl.replaceFirst("^http", "ws") + "/ws/orders/" + orderId),
				token);
	}

	List<JsonNode> messages() {
		return List.copyOf(this.messages);
	}

	List<String> statuses() {
		return this.messages.stream().map((message) -> message.get("status").asString()).toList();
	}

	@Override
	public void close() {
		this.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(5, TimeUnit.SECONDS).exceptionally((ex) -> null).join();
	}

	private final class Collector implements WebSocket.Listener {

		private final StringBuilder partial = new StringBuilder();

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				LiveOrderStatus.this.messages.add(JSON.readTree(this.partial.toString()));
				this.partial.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

	}

}

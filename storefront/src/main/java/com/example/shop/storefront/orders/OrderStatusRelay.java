package com.example.shop.storefront.orders;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import com.example.shop.storefront.shop.OrderStatusText;
import com.example.shop.storefront.shop.ShopApi;
import com.example.shop.storefront.web.LiveFeeds;

/**
 * An order's status as it changes, to the order page (Server-Sent Events, event {@code status}). The storefront
 * opens the gateway's live status WebSocket ({@code /ws/orders/{id}}, the public API) with the shopper's access
 * token, which never reaches the browser, and relays each frame as the status in words. The WebSocket sends the
 * current status when it opens, so a page that reconnects (the feed's lifetime ended, the network dropped, the
 * other replica answered) is up to date at once. After a final status the feed ends.
 */
@RestController
class OrderStatusRelay {

	private static final Logger log = LoggerFactory.getLogger(OrderStatusRelay.class);

	private final ShopApi shop;

	private final LiveFeeds feeds;

	private final JsonMapper json;

	private final HttpClient http;

	OrderStatusRelay(ShopApi shop, LiveFeeds feeds, JsonMapper json) {
		this.shop = shop;
		this.feeds = feeds;
		this.json = json;
		this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
	}

	@GetMapping(path = "/orders/{id}/status", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	ResponseEntity<SseEmitter> relay(@PathVariable UUID id) {
		// On the request's thread: the token is renewed here if it is about to expire.
		String token = shop.accessToken();
		URI upstream = shop.liveStatusUri(id);
		AtomicReference<WebSocket> socket = new AtomicReference<>();
		return feeds.open(() -> {
			WebSocket open = socket.get();
			if (open != null) {
				open.abort();
			}
		}).map(emitter -> {
			http.newWebSocketBuilder()
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
				.connectTimeout(Duration.ofSeconds(2))
				.buildAsync(upstream, new Frames(emitter, json))
				.whenComplete((opened, failed) -> {
					if (failed != null) {
						log.debug("Live status of order {} not available: {}", id, failed.toString());
						emitter.complete();
					}
					else {
						socket.set(opened);
					}
				});
			return ResponseEntity.ok(emitter);
		}).orElseGet(() -> ResponseEntity.ok(feeds.busy()));
	}

	/** Each status frame of the WebSocket becomes an SSE event; text frames may arrive in parts. */
	private static final class Frames implements WebSocket.Listener {

		private final SseEmitter emitter;

		private final JsonMapper json;

		private final StringBuilder partial = new StringBuilder();

		Frames(SseEmitter emitter, JsonMapper json) {
			this.emitter = emitter;
			this.json = json;
		}

		@Override
		public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
			partial.append(data);
			if (last) {
				String frame = partial.toString();
				partial.setLength(0);
				relay(socket, frame);
			}
			socket.request(1);
			return null;
		}

		private void relay(WebSocket socket, String frame) {
			try {
				JsonNode update = json.readTree(frame);
				String status = update.path("status").asString("");
				String reason = update.path("cancellationReason").isNull() ? null
						: update.path("cancellationReason").asString(null);
				boolean last = OrderStatusText.isFinal(status);
				emitter.send(SseEmitter.event()
					.name("status")
					.data(Map.of("status", status, "text", OrderStatusText.of(status, reason), "final", last),
							MediaType.APPLICATION_JSON));
				if (last) {
					emitter.complete();
					socket.sendClose(WebSocket.NORMAL_CLOSURE, "final status relayed");
				}
			}
			catch (IOException | IllegalStateException browserGone) {
				socket.abort();
			}
			catch (RuntimeException unreadable) {
				log.debug("Ignored a status frame that is not an update: {}", unreadable.toString());
			}
		}

		@Override
		public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
			emitter.complete();
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public void onError(WebSocket socket, Throwable error) {
			emitter.complete();
		}

	}

}

package com.example.shop.storefront.catalog;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import com.example.shop.storefront.web.LiveFeeds;

/**
 * A product's availability as it changes, to the product page (Server-Sent Events, event {@code stock}): the
 * page's share of the replica's one stock stream from inventory ({@link StockWatch}). The current level is sent
 * first, read after the subscription so that no change falls between the two: a page that reconnects (the feed's
 * lifetime ended, the network dropped, the other replica answered) is up to date at once.
 */
@RestController
class StockFeed {

	private final StockWatch stock;

	private final LiveFeeds feeds;

	StockFeed(StockWatch stock, LiveFeeds feeds) {
		this.stock = stock;
		this.feeds = feeds;
	}

	@GetMapping(path = "/products/{id}/stock", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	ResponseEntity<SseEmitter> watch(@PathVariable UUID id) {
		AtomicReference<Runnable> unsubscribe = new AtomicReference<>(() -> {
		});
		return feeds.open(() -> unsubscribe.get().run()).map(emitter -> {
			unsubscribe.set(stock.subscribe(id, available -> send(emitter, available)));
			stock.current(id).ifPresent(available -> send(emitter, available));
			return ResponseEntity.ok(emitter);
		}).orElseGet(() -> ResponseEntity.ok(feeds.busy()));
	}

	private static void send(SseEmitter emitter, int available) {
		try {
			emitter.send(SseEmitter.event()
				.name("stock")
				.data(Map.of("available", available, "text", Availability.of(available).text()),
						MediaType.APPLICATION_JSON));
		}
		catch (IOException | IllegalStateException browserGone) {
			emitter.completeWithError(browserGone);
		}
	}

}

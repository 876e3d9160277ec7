package com.example.shop.storefront.catalog;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import com.example.shop.proto.inventory.v1.InventoryServiceGrpc;
import com.example.shop.proto.inventory.v1.StockChanged;
import com.example.shop.proto.inventory.v1.WatchStockRequest;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import com.example.shop.storefront.web.LiveFeeds;

/**
 * A product's availability as it changes, to the product page (Server-Sent Events, event {@code stock}): the
 * storefront is a client of inventory's {@code WatchStock} gRPC stream, with its own token (scope
 * {@code inventory.read}, added to every call by libs/security). One stream per open page, cancelled when the
 * page goes away or the feed's lifetime ends; the page then reconnects. When inventory cannot be reached the feed
 * ends and the page keeps the availability it was rendered with.
 */
@RestController
class StockFeed {

	private static final Logger log = LoggerFactory.getLogger(StockFeed.class);

	private final InventoryServiceGrpc.InventoryServiceStub inventory;

	private final LiveFeeds feeds;

	StockFeed(GrpcChannelFactory channels, LiveFeeds feeds) {
		this.inventory = InventoryServiceGrpc.newStub(channels.createChannel("inventory-service"));
		this.feeds = feeds;
	}

	@GetMapping(path = "/products/{id}/stock", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	ResponseEntity<SseEmitter> watch(@PathVariable UUID id) {
		AtomicReference<Context.CancellableContext> stream = new AtomicReference<>();
		return feeds.open(() -> {
			Context.CancellableContext call = stream.get();
			if (call != null) {
				call.cancel(null);
			}
		}).map(emitter -> {
			Context.CancellableContext call = Context.current().withCancellation();
			stream.set(call);
			call.run(() -> inventory.watchStock(WatchStockRequest.newBuilder().addProductIds(id.toString()).build(),
					new Relay(emitter)));
			return ResponseEntity.ok(emitter);
		}).orElseGet(() -> ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).build());
	}

	/** Each stock change becomes an event the page shows as it is. */
	private record Relay(SseEmitter emitter) implements StreamObserver<StockChanged> {

		@Override
		public void onNext(StockChanged change) {
			try {
				emitter.send(SseEmitter.event()
					.name("stock")
					.data(Map.of("available", change.getAvailable(), "text",
							Availability.of(change.getAvailable()).text()), MediaType.APPLICATION_JSON));
			}
			catch (IOException | IllegalStateException browserGone) {
				emitter.completeWithError(browserGone);
			}
		}

		@Override
		public void onError(Throwable failure) {
			log.debug("Stock stream ended: {}", failure.toString());
			emitter.complete();
		}

		@Override
		public void onCompleted() {
			emitter.complete();
		}

	}

}

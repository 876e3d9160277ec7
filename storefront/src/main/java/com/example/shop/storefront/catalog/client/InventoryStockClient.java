package com.example.shop.storefront.catalog.client;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.example.shop.proto.inventory.v1.InventoryServiceGrpc;
import com.example.shop.proto.inventory.v1.StockChanged;
import com.example.shop.proto.inventory.v1.WatchStockRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.stereotype.Component;

import com.example.shop.storefront.catalog.InventoryStock;
import com.example.shop.storefront.shop.ShopApi;
import com.example.shop.storefront.shop.ShopProblem;
import com.example.shop.storefront.shop.ShopUnavailableException;
import com.example.shop.storefront.shop.Stock;

/**
 * The {@link InventoryStock} of inventory-service: levels through the gateway's public API ({@link ShopApi}), changes
 * from {@code WatchStock} over gRPC on the channel {@code inventory-service}, with the storefront's own token (scope
 * {@code inventory.read}, added by libs/security). The stream's deadline is its lifetime: when it passes, the stream
 * has {@link StockChanges#expired}.
 */
@Component
class InventoryStockClient implements InventoryStock {

	private static final Logger log = LoggerFactory.getLogger(InventoryStockClient.class);

	private final InventoryServiceGrpc.InventoryServiceStub inventory;

	private final ShopApi shop;

	InventoryStockClient(GrpcChannelFactory channels, ShopApi shop) {
		this.inventory = InventoryServiceGrpc.newStub(channels.createChannel("inventory-service"));
		this.shop = shop;
	}

	@Override
	public Optional<Integer> available(UUID product) {
		try {
			return shop.stock(product).map(Stock::available);
		}
		catch (ShopProblem | ShopUnavailableException notNow) {
			return Optional.empty();
		}
	}

	@Override
	public void watch(Duration lifetime, StockChanges changes) {
		inventory.withDeadlineAfter(lifetime.toMillis(), TimeUnit.MILLISECONDS)
			.watchStock(WatchStockRequest.getDefaultInstance(), new Changes(changes));
	}

	private static final class Changes implements StreamObserver<StockChanged> {

		private final StockChanges changes;

		Changes(StockChanges changes) {
			this.changes = changes;
		}

		@Override
		public void onNext(StockChanged change) {
			UUID product;
			try {
				product = UUID.fromString(change.getProductId());
			}
			catch (IllegalArgumentException notAnId) {
				log.debug("Ignored a stock change for '{}'", change.getProductId());
				return;
			}
			changes.changed(product, change.getAvailable());
		}

		@Override
		public void onError(Throwable failure) {
			if (failure instanceof StatusRuntimeException ended
					&& ended.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
				changes.expired();
				return;
			}
			changes.failed(failure);
		}

		@Override
		public void onCompleted() {
			changes.completed();
		}

	}

}

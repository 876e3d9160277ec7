package com.example.shop.product.availability;

import java.util.UUID;

import com.example.shop.messaging.envelope.MalformedMessageException;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.consumer.MessageConsumer;
import com.example.shop.messaging.consumer.MessageConsumers;
import com.example.shop.messaging.envelope.PayloadFields;
import com.example.shop.product.catalog.ProductCache;
import com.example.shop.product.catalog.ProductRepository;
import com.example.shop.product.catalog.ProductRepository.StockFlag;
import com.example.shop.proto.inventory.messages.v1.StockChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Keeps each product's {@code available} flag at "inventory has units left" (StockChanged.available > 0).
 * <p>
 * The inbox record and the flag commit in one transaction, so a message delivered again changes nothing. A
 * change that is not newer than the one the flag was last set from ({@code stock_version}) is ignored too: a
 * late, replayed or re-published change, even with a new message id, can never flip the flag back. The
 * product's cache entry is evicted after the commit, and only when the flag changed.
 * <p>
 * One row, {@code StockChanged} (proto/'s {@code stock_events.proto}), in a libs/messaging {@link MessageConsumer},
 * which records the inbox entry in the flag's transaction. A message that is not a StockChanged v1 with
 * productId, available and version is a {@link MalformedMessageException}: dead-lettered at once, nothing stored. A change of a product the catalog
 * does not have (deleted, or stock entered before the product) is recorded as processed and otherwise ignored.
 */
@Service
public class ProductAvailability {

	private static final Logger log = LoggerFactory.getLogger(ProductAvailability.class);

	/** The inbox consumer name of this processing step. */
	static final String CONSUMER = "product-service.stock-changes";

	private final ProductRepository products;

	private final ProductCache cache;

	private final MessageConsumer consumer;

	ProductAvailability(ProductRepository products, ProductCache cache, MessageConsumers consumers) {
		this.products = products;
		this.cache = cache;
		this.consumer = consumers.named(CONSUMER).on(StockChanged.class, this::apply).build();
	}

	/** One record of {@code inventory.stock-changes}. */
	public void accept(String record) {
		this.consumer.accept(record);
	}

	private void apply(StockChanged change, MessageEnvelope message) {
		if (!change.hasAvailable() || !change.hasVersion()) {
			throw new MalformedMessageException(message.describe() + " lacks one of productId, available, version");
		}
		if (change.getVersion() < 0) {
			throw new MalformedMessageException(message.describe() + " has a negative version " + change.getVersion());
		}
		UUID productId = PayloadFields.uuid(change.getProductId(), "productId");
		StockFlag flag = this.products.lockStockFlag(productId).orElse(null);
		if (flag == null) {
			log.debug("Stock change {} of product {} ignored: no such product", change.getVersion(), productId);
			return;
		}
		if (flag.stockVersion() != null && change.getVersion() <= flag.stockVersion()) {
			log.debug("Stock change {} of product {} ignored: {} was applied already", change.getVersion(), productId,
					flag.stockVersion());
			return;
		}
		boolean available = change.getAvailable() > 0;
		this.products.setStockFlag(productId, available, change.getVersion());
		if (available != flag.available()) {
			log.info("Product {} is now {}", productId, available ? "available" : "unavailable");
			evictAfterCommit(productId);
		}
	}

	/** After the commit: evicted earlier, a read in between could cache the old row again. */
	private void evictAfterCommit(UUID productId) {
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				ProductAvailability.this.cache.evict(productId);
			}
		});
	}

}

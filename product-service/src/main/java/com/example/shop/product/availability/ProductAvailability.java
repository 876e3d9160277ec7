package com.example.shop.product.availability;

import java.util.UUID;

import com.example.shop.messaging.envelope.MalformedMessageException;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.inbox.Inbox;
import com.example.shop.product.catalog.ProductCache;
import com.example.shop.product.catalog.ProductRepository;
import com.example.shop.product.catalog.ProductRepository.StockFlag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
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
 * A message that is not a StockChanged v1 with productId, available and version is a
 * {@link MalformedMessageException}: dead-lettered at once, nothing stored. A change of a product the catalog
 * does not have (deleted, or stock entered before the product) is recorded as processed and otherwise ignored.
 */
@Service
public class ProductAvailability {

	private static final Logger log = LoggerFactory.getLogger(ProductAvailability.class);

	/** The inbox consumer name of this processing step. */
	static final String CONSUMER = "product-service.stock-changes";

	private final Inbox inbox;

	private final ProductRepository products;

	private final ProductCache cache;

	ProductAvailability(Inbox inbox, ProductRepository products, ProductCache cache) {
		this.inbox = inbox;
		this.products = products;
		this.cache = cache;
	}

	@Transactional
	public void apply(MessageEnvelope message) {
		StockChanged change = read(message);
		if (!this.inbox.firstDelivery(CONSUMER, message)) {
			return;
		}
		StockFlag flag = this.products.lockStockFlag(change.productId()).orElse(null);
		if (flag == null) {
			log.debug("Stock change {} of product {} ignored: no such product", change.version(), change.productId());
			return;
		}
		if (flag.stockVersion() != null && change.version() <= flag.stockVersion()) {
			log.debug("Stock change {} of product {} ignored: {} was applied already", change.version(),
					change.productId(), flag.stockVersion());
			return;
		}
		boolean available = change.available() > 0;
		this.products.setStockFlag(change.productId(), available, change.version());
		if (available != flag.available()) {
			log.info("Product {} is now {}", change.productId(), available ? "available" : "unavailable");
			evictAfterCommit(change.productId());
		}
	}

	private static StockChanged read(MessageEnvelope message) {
		if (!StockChanged.TYPE.equals(message.type()) || message.version() != StockChanged.SCHEMA_VERSION) {
			throw new MalformedMessageException(
					message.describe() + " is not a " + StockChanged.TYPE + " v" + StockChanged.SCHEMA_VERSION);
		}
		StockChanged change = message.payloadAs(StockChanged.class);
		if (change.productId() == null || change.available() == null || change.version() == null) {
			throw new MalformedMessageException(message.describe() + " lacks one of productId, available, version");
		}
		if (change.version() < 0) {
			throw new MalformedMessageException(message.describe() + " has a negative version " + change.version());
		}
		return change;
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

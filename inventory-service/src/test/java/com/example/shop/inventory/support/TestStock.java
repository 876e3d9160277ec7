package com.example.shop.inventory.support;

import java.util.Arrays;
import java.util.UUID;

import com.example.shop.inventory.stock.Stock;
import com.example.shop.inventory.stock.StockLevels;
import com.example.shop.inventory.stock.StockRepository;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Fresh products with known stock for a test, and what the database says about them afterwards. */
public final class TestStock {

	private final StockLevels levels;

	private final StockRepository repository;

	private final JdbcClient jdbc;

	public TestStock(StockLevels levels, StockRepository repository, JdbcClient jdbc) {
		this.levels = levels;
		this.repository = repository;
		this.jdbc = jdbc;
	}

	/** A new product with this many units on hand. */
	public UUID product(int onHand) {
		UUID id = UUID.randomUUID();
		this.levels.setOnHand(id, onHand);
		return id;
	}

	/**
	 * New products with these units on hand whose ids sort in the given order: products[0] is locked and
	 * reserved first. Lets a test say "the first line fits, the second does not".
	 */
	public UUID[] productsInLockOrder(int... onHands) {
		UUID[] ids = new UUID[onHands.length];
		for (int i = 0; i < ids.length; i++) {
			ids[i] = UUID.randomUUID();
		}
		Arrays.sort(ids, StockRepository.LOCK_ORDER);
		for (int i = 0; i < ids.length; i++) {
			this.levels.setOnHand(ids[i], onHands[i]);
		}
		return ids;
	}

	public Stock stock(UUID productId) {
		return this.repository.find(productId).orElseThrow();
	}

	/** The reservation's status in the database, or null when there is no row. */
	public String status(UUID orderId) {
		return this.jdbc.sql("SELECT status FROM reservation WHERE order_id = :id")
			.param("id", orderId)
			.query(String.class)
			.optional()
			.orElse(null);
	}

	/** Reservations in this status that have a line for the product. */
	public long reservationsWithStatus(String status, UUID productId) {
		return this.jdbc.sql("""
				SELECT count(*) FROM reservation r JOIN reservation_line l USING (order_id)
				WHERE r.status = :status AND l.product_id = :productId""")
			.param("status", status)
			.param("productId", productId)
			.query(Long.class)
			.single();
	}

}

package com.example.shop.product.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL for the product table, through {@link JdbcClient}.
 * <p>
 * Plain JDBC rather than JPA: the model is one table, every query is a single readable statement
 * (dynamic search, keyset paging, {@code ON CONFLICT}, a version-checked {@code UPDATE ... RETURNING}),
 * and there is no ORM session, dirty checking or Hibernate bootstrap to pay for in a 256 MB JVM.
 * User input only ever reaches SQL as bind parameters; column names come from {@link ProductSort}'s allow-list.
 */
@Repository
public class ProductRepository {

	private static final String COLUMNS = "id, sku, name, description, category, price, currency, available, "
			+ "version, created_at, updated_at";

	private static final RowMapper<Product> MAPPER = ProductRepository::map;

	private final JdbcClient jdbc;

	ProductRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public Optional<Product> findById(UUID id) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM product WHERE id = :id")
			.param("id", id)
			.query(MAPPER)
			.optional();
	}

	/** All products with one of the ids, in one query. */
	public List<Product> findAllById(Collection<UUID> ids) {
		if (ids.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM product WHERE id IN (:ids)")
			.param("ids", List.copyOf(ids))
			.query(MAPPER)
			.list();
	}

	public List<Product> search(ProductSearch search, ProductSort sort, int page, int size) {
		Filter filter = Filter.of(search);
		return this.jdbc
			.sql("SELECT " + COLUMNS + " FROM product" + filter.where() + sort.toSql() + " LIMIT :limit OFFSET :offset")
			.params(filter.params())
			.param("limit", size)
			.param("offset", (long) page * size)
			.query(MAPPER)
			.list();
	}

	public long count(ProductSearch search) {
		Filter filter = Filter.of(search);
		return this.jdbc.sql("SELECT count(*) FROM product" + filter.where())
			.params(filter.params())
			.query(Long.class)
			.single();
	}

	/** Keyset page ordered by id: the products after {@code after} (null: from the start). */
	public List<Product> findPageAfter(UUID after, String category, int limit) {
		Filter filter = Filter.of(new ProductSearch(null, category, null, null));
		List<String> conditions = new ArrayList<>(filter.conditions());
		Map<String, Object> params = new HashMap<>(filter.params());
		if (after != null) {
			conditions.add("id > :after");
			params.put("after", after);
		}
		String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM product" + where + " ORDER BY id LIMIT :limit")
			.params(params)
			.param("limit", limit)
			.query(MAPPER)
			.list();
	}

	/** Inserts unless the sku is taken; empty then (no exception, so no aborted transaction). */
	public Optional<Product> insert(UUID id, ProductDetails details) {
		return this.jdbc.sql("""
				INSERT INTO product (id, sku, name, description, category, price, currency, available)
				VALUES (:id, :sku, :name, :description, :category, :price, :currency, :available)
				ON CONFLICT (sku) DO NOTHING
				RETURNING\s""" + COLUMNS)
			.param("id", id)
			.params(detailParams(details))
			.query(MAPPER)
			.optional();
	}

	/**
	 * Replaces the fields of a product (the available flag only while inventory-service has not reported the
	 * product's stock) and bumps its version; when {@code expectedVersion} is given, only if
	 * the stored version still is that one. Empty when no row matched. A sku that another product has raises
	 * {@link org.springframework.dao.DuplicateKeyException}.
	 */
	public Optional<Product> update(UUID id, ProductDetails details, Long expectedVersion) {
		String versionCheck = (expectedVersion != null) ? " AND version = :expectedVersion" : "";
		Map<String, Object> params = new HashMap<>(detailParams(details));
		params.put("id", id);
		if (expectedVersion != null) {
			params.put("expectedVersion", expectedVersion);
		}
		// Once inventory-service has reported the product's stock (stock_version is set) the flag is its, and the
		// client's value is not applied: editing the price must not show a sold-out product as available.
		return this.jdbc.sql("""
				UPDATE product
				SET sku = :sku, name = :name, description = :description, category = :category, price = :price,
				    currency = :currency, available = CASE WHEN stock_version IS NULL THEN :available ELSE available END,
				    version = version + 1, updated_at = now()
				WHERE id = :id""" + versionCheck + " RETURNING " + COLUMNS)
			.params(params)
			.query(MAPPER)
			.optional();
	}

	/**
	 * The available flag and the stock version it was set from, with the row locked until the transaction
	 * ends, so the stock changes of one product are applied one after the other; empty for an unknown product.
	 */
	public Optional<StockFlag> lockStockFlag(UUID id) {
		return this.jdbc.sql("SELECT available, stock_version FROM product WHERE id = :id FOR UPDATE")
			.param("id", id)
			.query((rs, row) -> new StockFlag(rs.getBoolean("available"), rs.getObject("stock_version", Long.class)))
			.optional();
	}

	/**
	 * Sets the available flag from stock change {@code stockVersion}. The product's version (its ETag) and
	 * updated_at change only when the flag does: a stock change that leaves the flag as it was does not change
	 * what a client sees.
	 */
	public void setStockFlag(UUID id, boolean available, long stockVersion) {
		this.jdbc.sql("""
				UPDATE product
				SET stock_version = :stockVersion, available = :available,
				    version = CASE WHEN available = :available THEN version ELSE version + 1 END,
				    updated_at = CASE WHEN available = :available THEN updated_at ELSE now() END
				WHERE id = :id""")
			.param("id", id)
			.param("available", available)
			.param("stockVersion", stockVersion)
			.update();
	}

	public boolean delete(UUID id) {
		return this.jdbc.sql("DELETE FROM product WHERE id = :id").param("id", id).update() > 0;
	}

	private static Map<String, Object> detailParams(ProductDetails details) {
		Map<String, Object> params = new HashMap<>();
		params.put("sku", details.sku());
		params.put("name", details.name());
		params.put("description", details.description());
		params.put("category", details.category());
		params.put("price", details.price());
		params.put("currency", details.currency());
		params.put("available", details.available());
		return params;
	}

	private static Product map(ResultSet rs, int row) throws SQLException {
		return new Product(rs.getObject("id", UUID.class), rs.getString("sku"), rs.getString("name"),
				rs.getString("description"), rs.getString("category"), rs.getBigDecimal("price"),
				rs.getString("currency"), rs.getBoolean("available"), rs.getLong("version"),
				rs.getObject("created_at", OffsetDateTime.class).toInstant(),
				rs.getObject("updated_at", OffsetDateTime.class).toInstant());
	}

	/**
	 * What the stock changes decided about a product.
	 * @param stockVersion the version of the stock change the flag was last set from; null when none was
	 */
	public record StockFlag(boolean available, Long stockVersion) {
	}

	/** The WHERE clause of a search: fixed SQL fragments, values only as parameters. */
	private record Filter(List<String> conditions, Map<String, Object> params) {

		static Filter of(ProductSearch search) {
			List<String> conditions = new ArrayList<>();
			Map<String, Object> params = new HashMap<>();
			if (search.text() != null && !search.text().isBlank()) {
				// ILIKE with the client's wildcards escaped: "%" and "_" match themselves, not anything.
				conditions.add("(name ILIKE :pattern ESCAPE '\\' OR description ILIKE :pattern ESCAPE '\\'"
						+ " OR sku ILIKE :pattern ESCAPE '\\')");
				params.put("pattern", "%" + escapeLike(search.text().strip()) + "%");
			}
			if (search.category() != null && !search.category().isBlank()) {
				conditions.add("category = :category");
				params.put("category", search.category().strip().toLowerCase(java.util.Locale.ROOT));
			}
			if (search.minPrice() != null) {
				conditions.add("price >= :minPrice");
				params.put("minPrice", search.minPrice());
			}
			if (search.maxPrice() != null) {
				conditions.add("price <= :maxPrice");
				params.put("maxPrice", search.maxPrice());
			}
			return new Filter(conditions, params);
		}

		String where() {
			return this.conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", this.conditions);
		}

		static String escapeLike(String text) {
			return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
		}

	}

}

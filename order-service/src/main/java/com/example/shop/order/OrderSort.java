package com.example.shop.order;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An ORDER BY built only from an allow-list, so a client's {@code sort} parameter never reaches SQL.
 * Syntax as product-service: {@code field[,asc|desc][,field[,asc|desc]]...}; default {@code createdAt,desc}.
 */
public final class OrderSort {

	/** API field name -> column. The only sortable fields. */
	private static final Map<String, String> COLUMNS = Map.of("createdAt", "created_at", "updatedAt", "updated_at",
			"total", "total", "status", "status");

	public static final OrderSort DEFAULT = new OrderSort(List.of(new Order("createdAt", "created_at", false, true)));

	private final List<Order> orders;

	private OrderSort(List<Order> orders) {
		this.orders = List.copyOf(orders);
	}

	/**
	 * @throws IllegalArgumentException naming the offending token when the sort is not on the allow-list
	 */
	public static OrderSort parse(String sort) {
		if (sort == null || sort.isBlank()) {
			return DEFAULT;
		}
		List<Order> orders = new ArrayList<>();
		for (String raw : sort.split(",")) {
			String token = raw.strip();
			String direction = token.toLowerCase(Locale.ROOT);
			if ((direction.equals("asc") || direction.equals("desc")) && !orders.isEmpty()
					&& !orders.getLast().directionGiven()) {
				Order last = orders.removeLast();
				orders.add(new Order(last.field(), last.column(), direction.equals("asc"), true));
				continue;
			}
			String column = COLUMNS.get(token);
			if (column == null) {
				throw new IllegalArgumentException("unknown sort field or direction '" + token
						+ "'; sortable fields are " + sortableFields() + ", directions asc or desc");
			}
			orders.add(new Order(token, column, true, false));
		}
		return new OrderSort(orders);
	}

	public static List<String> sortableFields() {
		return COLUMNS.keySet().stream().sorted().toList();
	}

	/** The ORDER BY clause; ends with the id so pages are stable when sort keys tie. */
	String toSql() {
		StringBuilder sql = new StringBuilder(" ORDER BY ");
		for (Order order : this.orders) {
			sql.append(order.column()).append(order.ascending() ? " ASC, " : " DESC, ");
		}
		return sql.append("id ASC").toString();
	}

	@Override
	public String toString() {
		return this.orders.stream().map((o) -> o.field() + (o.ascending() ? ",asc" : ",desc")).toList().toString();
	}

	private record Order(String field, String column, boolean ascending, boolean directionGiven) {
	}

}

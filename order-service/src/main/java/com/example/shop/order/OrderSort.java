package com.example.shop.order;

import java.util.List;
import java.util.Map;

import com.example.shop.sql.sort.SortableColumns;
import com.example.shop.sql.sort.SqlOrderBy;

/**
 * The orders' sort: their sortable fields and their default ({@code createdAt,desc}), parsed by libs/sql-sort as
 * product-service's are, so a client's {@code sort} parameter never reaches SQL. Syntax:
 * {@code field[,asc|desc][,field[,asc|desc]]...}.
 */
public final class OrderSort {

	/** API field name -> column. The only sortable fields. */
	private static final SortableColumns COLUMNS = new SortableColumns(Map.of("createdAt", "created_at", "updatedAt",
			"updated_at", "total", "total", "status", "status"));

	public static final OrderSort DEFAULT = new OrderSort(COLUMNS.parse("createdAt,desc"));

	private final SqlOrderBy orderBy;

	private OrderSort(SqlOrderBy orderBy) {
		this.orderBy = orderBy;
	}

	/**
	 * @throws IllegalArgumentException naming the offending token when the sort is not on the allow-list
	 */
	public static OrderSort parse(String sort) {
		if (sort == null || sort.isBlank()) {
			return DEFAULT;
		}
		return new OrderSort(COLUMNS.parse(sort));
	}

	public static List<String> sortableFields() {
		return COLUMNS.fields();
	}

	/** The ORDER BY clause; ends with the id so pages are stable when sort keys tie. */
	String toSql() {
		return this.orderBy.toSql();
	}

	@Override
	public String toString() {
		return this.orderBy.toString();
	}

}

package com.example.shop.product.catalog;

import java.util.List;
import java.util.Map;

import com.example.shop.sql.sort.SortableColumns;
import com.example.shop.sql.sort.SqlOrderBy;

/**
 * The catalog's sort: its sortable fields and its default (by name), parsed by libs/sql-sort, so a client's
 * {@code sort} parameter never reaches SQL. Syntax: {@code field[,asc|desc][,field[,asc|desc]]...}, e.g.
 * {@code price,desc} or {@code category,name}.
 */
public final class ProductSort {

	/** API field name -> column. The only sortable fields. */
	private static final SortableColumns COLUMNS = new SortableColumns(Map.of("name", "name", "price", "price",
			"createdAt", "created_at", "category", "category", "sku", "sku"));

	public static final ProductSort DEFAULT = new ProductSort(COLUMNS.parse("name"));

	private final SqlOrderBy orderBy;

	private ProductSort(SqlOrderBy orderBy) {
		this.orderBy = orderBy;
	}

	/**
	 * @throws IllegalArgumentException naming the offending token when the sort is not on the allow-list
	 */
	public static ProductSort parse(String sort) {
		if (sort == null || sort.isBlank()) {
			return DEFAULT;
		}
		return new ProductSort(COLUMNS.parse(sort));
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

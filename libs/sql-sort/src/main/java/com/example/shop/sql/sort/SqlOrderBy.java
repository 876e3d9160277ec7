package com.example.shop.sql.sort;

import java.util.List;

/** A parsed sort ({@link SortableColumns#parse}): the columns of the allow-list, each ascending or descending. */
public final class SqlOrderBy {

	private final List<Key> keys;

	SqlOrderBy(List<Key> keys) {
		this.keys = List.copyOf(keys);
	}

	/** The ORDER BY clause; ends with the id so pages are stable when sort keys tie. */
	public String toSql() {
		StringBuilder sql = new StringBuilder(" ORDER BY ");
		for (Key key : this.keys) {
			sql.append(key.column()).append(key.ascending() ? " ASC, " : " DESC, ");
		}
		return sql.append("id ASC").toString();
	}

	/** The API's view, e.g. {@code [category,asc, price,desc]}. */
	@Override
	public String toString() {
		return this.keys.stream().map((key) -> key.field() + (key.ascending() ? ",asc" : ",desc")).toList().toString();
	}

	record Key(String field, String column, boolean ascending) {
	}

}

package com.example.shop.sql.sort;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A service's allow-list of sortable fields (API field name -> column), and the parser of a client's {@code sort}
 * parameter against it: {@code field[,asc|desc][,field[,asc|desc]]...}, e.g. {@code price,desc} or
 * {@code category,name}; a field without a direction is ascending, the direction is case-insensitive. Only the
 * allow-list's column names ever reach SQL. Which fields, and the default when a client sends none, are the
 * service's (product-service's {@code ProductSort}, order-service's {@code OrderSort}).
 */
public final class SortableColumns {

	private final Map<String, String> columnsByField;

	/** @param columnsByField API field name -> column; the only sortable fields */
	public SortableColumns(Map<String, String> columnsByField) {
		this.columnsByField = Map.copyOf(columnsByField);
	}

	/**
	 * @param sort not blank: a service answers a missing or blank parameter with its own default
	 * @throws IllegalArgumentException naming the offending token when the sort is not on the allow-list (the edge
	 * answers it as a 400 for the parameter {@code sort})
	 */
	public SqlOrderBy parse(String sort) {
		List<SqlOrderBy.Key> keys = new ArrayList<>();
		boolean directionGiven = false;
		for (String raw : sort.split(",")) {
			String token = raw.strip();
			String direction = token.toLowerCase(Locale.ROOT);
			if ((direction.equals("asc") || direction.equals("desc")) && !keys.isEmpty() && !directionGiven) {
				SqlOrderBy.Key last = keys.removeLast();
				keys.add(new SqlOrderBy.Key(last.field(), last.column(), direction.equals("asc")));
				directionGiven = true;
				continue;
			}
			String column = this.columnsByField.get(token);
			if (column == null) {
				throw new IllegalArgumentException("unknown sort field or direction '" + token
						+ "'; sortable fields are " + fields() + ", directions asc or desc");
			}
			keys.add(new SqlOrderBy.Key(token, column, true));
			directionGiven = false;
		}
		return new SqlOrderBy(keys);
	}

	/** The sortable fields, in alphabetical order (for messages and documentation). */
	public List<String> fields() {
		return this.columnsByField.keySet().stream().sorted().toList();
	}

}

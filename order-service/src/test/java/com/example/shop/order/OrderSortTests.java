package com.example.shop.order;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The orders' sortable fields and default; the syntax itself is libs/sql-sort's (SortableColumnsTests). */
class OrderSortTests {

	@Test
	void defaultIsNewestFirstWithIdAsTieBreaker() {
		assertThat(OrderSort.parse(null).toSql()).isEqualTo(" ORDER BY created_at DESC, id ASC");
		assertThat(OrderSort.parse(" ").toSql()).isEqualTo(" ORDER BY created_at DESC, id ASC");
		assertThat(OrderSort.DEFAULT).hasToString("[createdAt,desc]");
	}

	@Test
	void mapsAllowedFieldsToColumns() {
		assertThat(OrderSort.parse("updatedAt,status,desc").toSql())
			.isEqualTo(" ORDER BY updated_at ASC, status DESC, id ASC");
		assertThat(OrderSort.sortableFields()).containsExactly("createdAt", "status", "total", "updatedAt");
	}

	@Test
	void rejectsEverythingElse() {
		assertThatIllegalArgumentException().isThrownBy(() -> OrderSort.parse("created_at"))
			.withMessage("unknown sort field or direction 'created_at'; sortable fields are "
					+ "[createdAt, status, total, updatedAt], directions asc or desc");
		assertThatIllegalArgumentException().isThrownBy(() -> OrderSort.parse("customerId"));
	}

}

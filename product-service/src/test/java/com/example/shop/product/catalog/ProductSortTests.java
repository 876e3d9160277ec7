package com.example.shop.product.catalog;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The catalog's sortable fields and default; the syntax itself is libs/sql-sort's (SortableColumnsTests). */
class ProductSortTests {

	@Test
	void defaultIsNameAscendingWithIdAsTieBreaker() {
		assertThat(ProductSort.parse(null).toSql()).isEqualTo(" ORDER BY name ASC, id ASC");
		assertThat(ProductSort.parse(" ").toSql()).isEqualTo(" ORDER BY name ASC, id ASC");
	}

	@Test
	void mapsAllowedFieldsToColumns() {
		assertThat(ProductSort.parse("createdAt,desc").toSql()).isEqualTo(" ORDER BY created_at DESC, id ASC");
		assertThat(ProductSort.parse("category,price,DESC").toSql())
			.isEqualTo(" ORDER BY category ASC, price DESC, id ASC");
		assertThat(ProductSort.sortableFields()).containsExactly("category", "createdAt", "name", "price", "sku");
	}

	@Test
	void rejectsEverythingElse() {
		assertThatIllegalArgumentException().isThrownBy(() -> ProductSort.parse("price; DROP TABLE product"));
		assertThatIllegalArgumentException().isThrownBy(() -> ProductSort.parse("description"));
		assertThatIllegalArgumentException().isThrownBy(() -> ProductSort.parse("price,asc,desc"))
			.withMessageStartingWith("unknown sort field or direction 'desc'");
		assertThatIllegalArgumentException().isThrownBy(() -> ProductSort.parse("created_at"));
	}

}

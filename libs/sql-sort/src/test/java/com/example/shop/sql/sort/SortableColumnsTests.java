package com.example.shop.sql.sort;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SortableColumnsTests {

	private final SortableColumns columns = new SortableColumns(
			Map.of("name", "name", "price", "price", "createdAt", "created_at"));

	@Test
	void fieldWithoutDirectionIsAscendingAndIdBreaksTies() {
		SqlOrderBy orderBy = this.columns.parse("name");

		assertThat(orderBy.toSql()).isEqualTo(" ORDER BY name ASC, id ASC");
		assertThat(orderBy).hasToString("[name,asc]");
	}

	@Test
	void fieldsMapToTheirColumnsEachWithItsOwnDirection() {
		SqlOrderBy orderBy = this.columns.parse(" createdAt , DESC,name,price,Asc");

		assertThat(orderBy.toSql()).isEqualTo(" ORDER BY created_at DESC, name ASC, price ASC, id ASC");
		assertThat(orderBy).hasToString("[createdAt,desc, name,asc, price,asc]");
	}

	@Test
	void anythingOffTheAllowListIsRefusedNamingTheToken() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.columns.parse("price; DROP TABLE product"))
			.withMessage("unknown sort field or direction 'price; DROP TABLE product'; sortable fields are "
					+ "[createdAt, name, price], directions asc or desc");
		assertThatIllegalArgumentException().isThrownBy(() -> this.columns.parse("description"))
			.withMessageStartingWith("unknown sort field or direction 'description'");
		assertThatIllegalArgumentException().isThrownBy(() -> this.columns.parse("created_at"))
			.withMessageStartingWith("unknown sort field or direction 'created_at'");
		assertThatIllegalArgumentException().isThrownBy(() -> this.columns.parse("name,,price"))
			.withMessageStartingWith("unknown sort field or direction ''");
	}

	@Test
	void directionOnlyAfterAFieldAndOnlyOnce() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.columns.parse("asc"))
			.withMessageStartingWith("unknown sort field or direction 'asc'");
		assertThatIllegalArgumentException().isThrownBy(() -> this.columns.parse("price,asc,desc"))
			.withMessageStartingWith("unknown sort field or direction 'desc'");
	}

	@Test
	void fieldsAreListedAlphabetically() {
		assertThat(this.columns.fields()).containsExactly("createdAt", "name", "price");
	}

}

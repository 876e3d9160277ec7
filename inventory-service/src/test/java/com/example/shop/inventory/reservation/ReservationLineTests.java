package com.example.shop.inventory.reservation;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ReservationLineTests {

	static final UUID LOW = new UUID(0, 1);

	static final UUID HIGH = new UUID(0, 2);

	@Test
	void mergesLinesOfTheSameProductAndSortsByProductId() {
		List<ReservationLine> merged = ReservationLine.merge(List.of(new ReservationLine(HIGH, 2),
				new ReservationLine(LOW, 1), new ReservationLine(HIGH, 3)));
		assertThat(merged).containsExactly(new ReservationLine(LOW, 1), new ReservationLine(HIGH, 5));
	}

	@Test
	void sortsUnsignedAsPostgresqlOrdersUuidsSoEveryPathLocksInTheSameOrder() {
		UUID topBitSet = UUID.fromString("ffffffff-0000-4000-8000-000000000000");
		UUID topBitClear = UUID.fromString("7fffffff-0000-4000-8000-000000000000");
		List<ReservationLine> merged = ReservationLine.merge(
				List.of(new ReservationLine(topBitSet, 1), new ReservationLine(topBitClear, 1), new ReservationLine(LOW, 1)));
		assertThat(merged).extracting(ReservationLine::productId).containsExactly(LOW, topBitClear, topBitSet);
	}

	@Test
	void theLargestLegalQuantitiesStillAddUpWithoutOverflow() {
		List<ReservationLine> lines = java.util.Collections.nCopies(ReservationLine.MAX_LINES,
				new ReservationLine(LOW, ReservationLine.MAX_QUANTITY));
		assertThat(ReservationLine.merge(lines)).containsExactly(
				new ReservationLine(LOW, ReservationLine.MAX_LINES * ReservationLine.MAX_QUANTITY));
	}

	@Test
	void refusesWhatNoRetryCanFix() {
		assertThatIllegalArgumentException().isThrownBy(() -> ReservationLine.merge(List.of()));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ReservationLine.merge(java.util.Arrays.asList(new ReservationLine(LOW, 1), null)))
			.withMessage("line 1 has no product id");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ReservationLine.merge(List.of(new ReservationLine(LOW, 0))))
			.withMessage("line 0 quantity must be between 1 and 1000000, got 0");
	}

}

package com.example.shop.order;

import java.util.List;
import java.util.UUID;

/** What the availability check before placing an order found out. */
public sealed interface StockCheck {

	/** Every line can be served from the stock available now (nothing is reserved yet). */
	record Sufficient() implements StockCheck {
	}

	/** Known short: these lines ask for more than is available. */
	record Short(List<ShortLine> lines) implements StockCheck {

		public Short {
			lines = List.copyOf(lines);
		}

	}

	/** No answer (inventory unreachable, too slow, breaker open, bulkhead full): the saga will decide. */
	record Skipped(SkipReason reason) implements StockCheck {
	}

	record ShortLine(UUID productId, int requested, int available) {
	}

	/** Why the check was skipped; the tag {@code why} of the metric {@code inventory.check.skipped}. */
	enum SkipReason {

		UNAVAILABLE("unavailable"), DEADLINE("deadline"), CIRCUIT_OPEN("circuit_open"), BULKHEAD_FULL("bulkhead_full"),
		ERROR("error");

		private final String tag;

		SkipReason(String tag) {
			this.tag = tag;
		}

		public String tag() {
			return this.tag;
		}

	}

}

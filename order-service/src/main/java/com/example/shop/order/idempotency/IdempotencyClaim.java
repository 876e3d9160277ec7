package com.example.shop.order.idempotency;

import java.util.UUID;

/** What claiming an Idempotency-Key found. */
public sealed interface IdempotencyClaim {

	/** The key is this request's now: do the work, then {@link IdempotencyKeys#complete} or {@link IdempotencyKeys#release}. */
	record Claimed(UUID customerId, String key, UUID claimId) implements IdempotencyClaim {
	}

	/** The same request was served already: answer with its order. */
	record Completed(UUID orderId) implements IdempotencyClaim {
	}

	/** The same request is being served right now (409). */
	record InFlight() implements IdempotencyClaim {
	}

	/** The key was used with another request body (422). */
	record Mismatch() implements IdempotencyClaim {
	}

}

package com.example.shop.storefront.shop;

import java.time.Instant;
import java.util.UUID;

/** A message a service could not handle, as {@code GET /api/admin/{service}/dead-letters} lists it. */
public record DeadLetter(UUID id, String source, String messageId, String type, String error, int attempts,
		Instant failedAt, String payload) {
}

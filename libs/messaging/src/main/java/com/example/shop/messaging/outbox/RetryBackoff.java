package com.example.shop.messaging.outbox;

import java.time.Duration;

/** When a message that failed to publish is tried again: exponential, capped. */
record RetryBackoff(Duration initial, double multiplier, Duration max) {

	/** @param failures failed attempts so far, including the one just made (1 or more) */
	Duration after(int failures) {
		double millis = this.initial.toMillis() * Math.pow(this.multiplier, Math.max(0, failures - 1));
		return millis >= this.max.toMillis() ? this.max : Duration.ofMillis((long) millis);
	}

}

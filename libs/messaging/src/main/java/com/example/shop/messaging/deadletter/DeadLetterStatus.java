package com.example.shop.messaging.deadletter;

/**
 * Where an operator's case stands: {@code PARKED} until someone acts, {@code REPLAYED} once sent back to
 * where it failed (it can be replayed again), {@code DISCARDED} when given up (kept for audit).
 */
public enum DeadLetterStatus {

	PARKED, REPLAYED, DISCARDED

}

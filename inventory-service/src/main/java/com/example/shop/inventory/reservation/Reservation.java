package com.example.shop.inventory.reservation;

import java.time.Instant;
import java.util.UUID;

import com.example.shop.inventory.reservation.ReserveOutcome.RejectionReason;

/**
 * A stored reservation, without its lines.
 *
 * @param rejectionReason set only when REJECTED
 * @param expiresAt set while RESERVED (kept afterwards), null for rejections and tombstones
 */
record Reservation(UUID orderId, ReservationStatus status, RejectionReason rejectionReason, Instant expiresAt) {
}

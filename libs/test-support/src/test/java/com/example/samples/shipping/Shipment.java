package com.example.samples.shipping;

import com.example.samples.shipping.tracking.TrackingNumber;

/** The domain model, in the base package: depends on a capability below it, never on the edge. */
public record Shipment(String id, TrackingNumber trackingNumber) {

}

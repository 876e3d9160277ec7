package com.example.samples.cyclicshipping;

import com.example.samples.cyclicshipping.tracking.Tracker;

/** A domain class in a cycle with a capability below it (ServiceLayoutTests). */
public record Shipment(String id, Tracker tracker) {

}

package com.example.samples.shipping.tracking;

/** A capability below the domain model: it does not know the model. */
public record TrackingNumber(String value) {

}

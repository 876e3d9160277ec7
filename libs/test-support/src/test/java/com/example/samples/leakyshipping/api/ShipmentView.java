package com.example.samples.leakyshipping.api;

/** The edge's response. */
public record ShipmentView(String id) {

}

package com.example.samples.leakyshipping;

import com.example.samples.leakyshipping.api.ShipmentView;

/** A domain class that breaks the layering: it renders itself as the edge's response. */
public record Shipment(String id) {

	public ShipmentView view() {
		return new ShipmentView(this.id);
	}

}

package com.example.samples.shipping.api;

import com.example.samples.shipping.Shipment;

/** The edge: depends on the domain model. */
public class ShipmentController {

	public String describe(Shipment shipment) {
		return shipment.id();
	}

}

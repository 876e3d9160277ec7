package com.example.samples.cyclicshipping.tracking;

import com.example.samples.cyclicshipping.Shipment;

/** Knows the domain model that knows it: a cycle between the base package and tracking. */
public class Tracker {

	public String track(Shipment shipment) {
		return shipment.id();
	}

}

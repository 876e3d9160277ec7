package com.example.samples.shipping;

import com.example.samples.shipping.api.ShipmentController;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/** Puts the service together: may name its edge (ServiceLayoutTests). Outside com.example.shop, so no scan finds it. */
@SpringBootApplication
@Import(ShipmentController.class)
public class ShippingApplication {

}

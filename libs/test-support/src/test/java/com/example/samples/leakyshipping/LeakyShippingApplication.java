package com.example.samples.leakyshipping;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The application class of a service whose domain model depends on its edge (ServiceLayoutTests). */
@SpringBootApplication
public class LeakyShippingApplication {

}

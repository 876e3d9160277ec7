package com.example.shop.order.discovery;

import java.util.List;
import java.util.UUID;

import com.netflix.appinfo.InstanceInfo.InstanceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.example.shop.order.catalog.ProductCatalogClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.cloud.netflix.eureka.serviceregistry.EurekaRegistration;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Takes traffic only once it can price an order. The instance registers in Eureka as STARTING
 * ({@code eureka.instance.initial-status}), which the gateway does not route to; once the application is ready,
 * one catalog lookup opens the gRPC channel to product-service (name resolution, connection, the first call of
 * a cold JVM), and only then is the status set to UP.
 * <p>
 * Why: a replica registered UP while still starting got the gateway's checkouts at once; on a busy machine its
 * first placements took longer than the gateway's 5 s or failed their catalog calls and opened its catalog
 * breaker, so checkouts failed during a rolling restart. A failed warm-up does not keep the replica out: it is
 * set UP anyway, and the catalog breaker and the gateway's retries take it from there.
 */
@Component
class UpInRegistryWhenWarm {

	private static final Logger log = LoggerFactory.getLogger(UpInRegistryWhenWarm.class);

	private final ProductCatalogClient catalog;

	private final ObjectProvider<EurekaRegistration> registration;

	UpInRegistryWhenWarm(ProductCatalogClient catalog, ObjectProvider<EurekaRegistration> registration) {
		this.catalog = catalog;
		this.registration = registration;
	}

	@EventListener(ApplicationReadyEvent.class)
	void warmUpThenTakeTraffic() {
		EurekaRegistration instance = this.registration.getIfAvailable();
		if (instance == null) {
			return; // no Eureka (tests, Kubernetes: readiness decides there)
		}
		long started = System.nanoTime();
		try {
			// A product that does not exist: the answer ("missing") needs the whole path, and changes nothing.
			this.catalog.lookup(List.of(UUID.randomUUID()));
			log.info("Catalog reached in {} ms; taking traffic", (System.nanoTime() - started) / 1_000_000);
		}
		catch (RuntimeException ex) {
			log.warn("Catalog not reached at start ({}); taking traffic anyway", ex.toString());
		}
		// The instance's own status, which the Eureka client sends with its next registration (at once, and again
		// until Eureka takes it): unlike an override set on the server, it does not need Eureka to be up now.
		instance.getApplicationInfoManager().setInstanceStatus(InstanceStatus.UP);
	}

}

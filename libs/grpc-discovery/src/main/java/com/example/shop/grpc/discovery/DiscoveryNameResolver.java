package com.example.shop.grpc.discovery;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.StatusOr;
import io.grpc.SynchronizationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/**
 * The gRPC addresses of one service's instances: each instance's host and its {@code grpc-port} metadata
 * (the port Eureka registers is the HTTP one). Read at start, every refresh interval, and whenever the
 * channel asks (a connection failed), on the channel's timer thread; passed on to the channel (in its
 * synchronization context) only when the set changed. Instances without
 * {@code grpc-port} are skipped; none at all is UNAVAILABLE, which the channel answers its calls with until
 * an instance appears.
 */
class DiscoveryNameResolver extends NameResolver {

	private static final Logger log = LoggerFactory.getLogger(DiscoveryNameResolver.class);

	static final String GRPC_PORT = "grpc-port";

	private final String serviceId;

	private final DiscoveryClient discovery;

	private final Duration refreshInterval;

	private final ScheduledExecutorService timer;

	private final SynchronizationContext syncContext;

	// Only touched in syncContext.
	private Listener2 listener;

	private List<InetSocketAddress> current;

	private ScheduledFuture<?> refreshing;

	private boolean shutdown;

	DiscoveryNameResolver(String serviceId, DiscoveryClient discovery, Duration refreshInterval,
			ScheduledExecutorService timer, SynchronizationContext syncContext) {
		this.serviceId = serviceId;
		this.discovery = discovery;
		this.refreshInterval = refreshInterval;
		this.timer = timer;
		this.syncContext = syncContext;
	}

	@Override
	public String getServiceAuthority() {
		return this.serviceId;
	}

	@Override
	public void start(Listener2 listener) {
		this.listener = listener;
		long millis = this.refreshInterval.toMillis();
		// The first lookup at once, then periodically; off the channel's synchronization context, because a
		// host name may need a DNS lookup.
		this.refreshing = this.timer.scheduleWithFixedDelay(this::lookup, 0, millis, TimeUnit.MILLISECONDS);
	}

	@Override
	public void refresh() {
		// Called in syncContext by the channel, e.g. after a connection to a gone instance failed: look again
		// now, and pass the result on even if it looks unchanged.
		this.current = null;
		this.timer.execute(this::lookup);
	}

	@Override
	public void shutdown() {
		this.shutdown = true;
		if (this.refreshing != null) {
			this.refreshing.cancel(false);
		}
	}

	private void lookup() {
		StatusOr<List<InetSocketAddress>> result;
		try {
			// Eureka's client answers from its local copy of the registry: no remote call here.
			result = StatusOr.fromValue(addresses(this.discovery.getInstances(this.serviceId)));
		}
		catch (RuntimeException ex) {
			log.warn("Could not read the instances of {} from discovery: {}", this.serviceId, ex.toString());
			result = StatusOr.fromStatus(
					Status.UNAVAILABLE.withDescription("discovery lookup of " + this.serviceId + " failed").withCause(ex));
		}
		StatusOr<List<InetSocketAddress>> found = result;
		this.syncContext.execute(() -> publish(found));
	}

	private void publish(StatusOr<List<InetSocketAddress>> result) {
		if (this.shutdown) {
			return;
		}
		if (!result.hasValue()) {
			this.current = null;
			this.listener.onError(result.getStatus());
			return;
		}
		List<InetSocketAddress> addresses = result.getValue();
		if (addresses.equals(this.current)) {
			return;
		}
		this.current = addresses;
		if (addresses.isEmpty()) {
			this.listener.onError(Status.UNAVAILABLE
				.withDescription("no instance of " + this.serviceId + " with a '" + GRPC_PORT + "' is registered"));
			return;
		}
		log.debug("gRPC instances of {}: {}", this.serviceId, addresses);
		List<EquivalentAddressGroup> groups = addresses.stream().map(EquivalentAddressGroup::new).toList();
		this.listener.onResult2(ResolutionResult.newBuilder().setAddressesOrError(StatusOr.fromValue(groups)).build());
	}

	/** Sorted, so an unchanged registry is recognised as unchanged. */
	List<InetSocketAddress> addresses(List<ServiceInstance> instances) {
		List<InetSocketAddress> addresses = new ArrayList<>();
		for (ServiceInstance instance : instances) {
			String port = instance.getMetadata().get(GRPC_PORT);
			if (port == null || port.isBlank()) {
				log.debug("Instance {} of {} has no {} metadata; skipped", instance.getInstanceId(), this.serviceId,
						GRPC_PORT);
				continue;
			}
			try {
				addresses.add(new InetSocketAddress(instance.getHost(), Integer.parseInt(port.strip())));
			}
			catch (IllegalArgumentException ex) {
				log.warn("Instance {} of {} has an invalid {} '{}'; skipped", instance.getInstanceId(), this.serviceId,
						GRPC_PORT, port);
			}
		}
		addresses.sort(Comparator.comparing(InetSocketAddress::getHostString).thenComparingInt(InetSocketAddress::getPort));
		return List.copyOf(addresses);
	}

}

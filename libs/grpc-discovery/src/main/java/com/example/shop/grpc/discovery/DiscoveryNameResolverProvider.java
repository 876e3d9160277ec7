package com.example.shop.grpc.discovery;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;

import org.springframework.cloud.client.discovery.DiscoveryClient;

/**
 * grpc-java resolver for targets {@code discovery:///<service-id>}: the gRPC addresses of the service's
 * instances in Spring Cloud's {@link DiscoveryClient} (Eureka), so a channel spreads its calls over every
 * replica ({@code round_robin}) and follows them as they come and go.
 * <p>
 * Found by grpc-java itself ({@code META-INF/services/io.grpc.NameResolverProvider}) and stateless: the
 * {@link DiscoveryClient} of the application that builds the channel travels with the channel as a
 * name-resolver argument ({@link #DISCOVERY_CLIENT}, set by {@link DiscoveryChannelAutoConfiguration}), so two
 * applications in one JVM (tests) never see each other's registry.
 */
public class DiscoveryNameResolverProvider extends NameResolverProvider {

	public static final String SCHEME = "discovery";

	/** The registry to resolve against; required. */
	public static final NameResolver.Args.Key<DiscoveryClient> DISCOVERY_CLIENT = NameResolver.Args.Key
		.create("shop.discovery-client");

	/** How often the instance list is read again; optional, {@link #DEFAULT_REFRESH_INTERVAL} otherwise. */
	public static final NameResolver.Args.Key<Duration> REFRESH_INTERVAL = NameResolver.Args.Key
		.create("shop.discovery-refresh-interval");

	public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(5);

	@Override
	public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
		if (!SCHEME.equals(targetUri.getScheme())) {
			return null;
		}
		String serviceId = serviceId(targetUri);
		DiscoveryClient discovery = args.getArg(DISCOVERY_CLIENT);
		if (discovery == null) {
			throw new IllegalArgumentException("target " + targetUri + " needs the channel's name resolver argument "
					+ DISCOVERY_CLIENT + " (set by DiscoveryChannelAutoConfiguration for channels of GrpcChannelFactory)");
		}
		Duration refresh = args.getArg(REFRESH_INTERVAL);
		return new DiscoveryNameResolver(serviceId, discovery, (refresh != null) ? refresh : DEFAULT_REFRESH_INTERVAL,
				args.getScheduledExecutorService(), args.getSynchronizationContext());
	}

	/** {@code discovery:///product-service} and {@code discovery://product-service} both name product-service. */
	static String serviceId(URI target) {
		String path = (target.getPath() != null) ? target.getPath() : "";
		String id = path.startsWith("/") ? path.substring(1) : path;
		if (id.isEmpty() && target.getAuthority() != null) {
			id = target.getAuthority();
		}
		if (id.isBlank() || id.contains("/")) {
			throw new IllegalArgumentException("target " + target + " must be discovery:///<service-id>");
		}
		return id;
	}

	@Override
	public String getDefaultScheme() {
		return SCHEME;
	}

	@Override
	protected boolean isAvailable() {
		return true;
	}

	@Override
	protected int priority() {
		// The middle of grpc-java's 0..10 scale; the only provider of its scheme anyway.
		return 5;
	}

	@Override
	public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
		return List.of(InetSocketAddress.class);
	}

}

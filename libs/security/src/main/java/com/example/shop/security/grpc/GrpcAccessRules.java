package com.example.shop.security.grpc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which scope a caller's token must carry to call each gRPC service of this service; declared as a bean by the
 * service (its {@code GrpcAccess}), applied by {@link GrpcTokenCheck}. A service not named here is refused to
 * everybody (PERMISSION_DENIED), so a new gRPC service is closed until someone decides who may call it. Open to all:
 * the standard health service (probes and load balancers carry no token) and server reflection (it describes the
 * services, as the public .proto files in the repository do, and calls none: grpcurl needs no files).
 */
public final class GrpcAccessRules {

	/** What a probe asks, and what grpcurl asks to learn the services, without a token. */
	static final Set<String> OPEN_SERVICES = Set.of("grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection",
			"grpc.reflection.v1alpha.ServerReflection");

	private final Map<String, String> scopeByService;

	private GrpcAccessRules(Map<String, String> scopeByService) {
		this.scopeByService = Map.copyOf(scopeByService);
	}

	public static Builder builder() {
		return new Builder();
	}

	boolean isOpen(String service) {
		return OPEN_SERVICES.contains(service);
	}

	/** The scope the gRPC service needs, or empty when no rule names it (nobody may call it). */
	Optional<String> requiredScope(String service) {
		return Optional.ofNullable(this.scopeByService.get(service));
	}

	public static final class Builder {

		private final Map<String, String> scopeByService = new LinkedHashMap<>();

		private Builder() {
		}

		/**
		 * @param service the gRPC service's full name ({@code <Service>Grpc.SERVICE_NAME})
		 * @param scope a scope of the realm, e.g. {@code catalog.read}
		 */
		public Builder service(String service, String scope) {
			this.scopeByService.put(service, scope);
			return this;
		}

		public GrpcAccessRules build() {
			return new GrpcAccessRules(this.scopeByService);
		}

	}

}

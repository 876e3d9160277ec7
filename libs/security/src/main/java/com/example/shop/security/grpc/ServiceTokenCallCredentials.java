package com.example.shop.security.grpc;

import java.util.concurrent.Executor;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.Status;

import com.example.shop.security.ServiceTokens;
import com.example.shop.security.ServiceTokens.ServiceTokenUnavailableException;

/**
 * This service's own token ({@link ServiceTokens}: client credentials, kept and renewed) on every gRPC call it makes,
 * as {@code authorization: Bearer <token>} metadata. As call credentials rather than in an interceptor's
 * {@code start}: gRPC asks for them on its application executor, so a token fetch from the realm never runs on a
 * transport thread, and it counts against the call's deadline. No token to be had (the realm unreachable and the
 * held token expired): the call fails UNAVAILABLE, which the callers treat as a transient failure (retry, breaker).
 */
public class ServiceTokenCallCredentials extends CallCredentials {

	private final ServiceTokens tokens;

	public ServiceTokenCallCredentials(ServiceTokens tokens) {
		this.tokens = tokens;
	}

	@Override
	public void applyRequestMetadata(RequestInfo request, Executor executor, MetadataApplier applier) {
		executor.execute(() -> {
			try {
				Metadata headers = new Metadata();
				headers.put(GrpcTokenCheck.AUTHORIZATION, "Bearer " + this.tokens.bearer());
				applier.apply(headers);
			}
			catch (ServiceTokenUnavailableException ex) {
				applier.fail(Status.UNAVAILABLE.withDescription("no token for this service: " + ex.getMessage())
					.withCause(ex));
			}
			catch (RuntimeException ex) {
				applier.fail(Status.INTERNAL.withDescription("could not add this service's token").withCause(ex));
			}
		});
	}

}

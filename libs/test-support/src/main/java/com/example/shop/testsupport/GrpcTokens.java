package com.example.shop.testsupport;

import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;

/** A token on a test's gRPC calls, as the platform's services send theirs ({@code authorization: Bearer <token>}). */
public final class GrpcTokens {

	private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
			Metadata.ASCII_STRING_MARSHALLER);

	private GrpcTokens() {
	}

	/** The channel, sending the token on every call. */
	public static Channel withToken(Channel channel, String token) {
		Metadata headers = new Metadata();
		headers.put(AUTHORIZATION, "Bearer " + token);
		return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
	}

	/** The token of order-service's client as the realm issues it (scopes catalog.read, inventory.read). */
	public static String orderService() {
		return TestTokens.issuer().service("order-service", "catalog.read", "inventory.read");
	}

	/** The authorization metadata a server received, for stand-ins that record what their callers sent. */
	public static String authorization(Metadata headers) {
		return headers.get(AUTHORIZATION);
	}

}

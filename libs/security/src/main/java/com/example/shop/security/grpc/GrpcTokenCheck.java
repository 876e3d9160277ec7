package com.example.shop.security.grpc;

import java.util.Arrays;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Every gRPC call to this service must carry a token of the realm ({@code authorization: Bearer <token>} metadata),
 * checked exactly as on REST (the same {@link JwtDecoder}: RS256 against the realm's keys, issuer, audience,
 * expiry), with the scope {@link GrpcAccessRules} requires for the called service. The other services call with their
 * own client-credentials tokens ({@link ServiceTokenCallCredentials}), so a caller that is not one of them, or one
 * without the scope, is refused even inside the network (zero trust, as on REST).
 * <p>
 * Refusals close the call before the service's code runs: UNAUTHENTICATED (no token, or one that fails a check),
 * PERMISSION_DENIED (no scope for this service), UNAVAILABLE (the realm's keys cannot be fetched: the caller may try
 * again, as with a 503). The description says which, never the token.
 */
public class GrpcTokenCheck implements ServerInterceptor {

	private static final Logger log = LoggerFactory.getLogger(GrpcTokenCheck.class);

	static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
			Metadata.ASCII_STRING_MARSHALLER);

	private static final String BEARER = "Bearer ";

	private final JwtDecoder decoder;

	private final GrpcAccessRules rules;

	public GrpcTokenCheck(JwtDecoder decoder, GrpcAccessRules rules) {
		this.decoder = decoder;
		this.rules = rules;
	}

	@Override
	public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
			ServerCallHandler<Q, R> next) {
		String service = call.getMethodDescriptor().getServiceName();
		if (service != null && this.rules.isOpen(service)) {
			return next.startCall(call, headers);
		}
		String authorization = headers.get(AUTHORIZATION);
		if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			return refuse(call, Status.UNAUTHENTICATED
				.withDescription("a bearer token is required (metadata 'authorization: Bearer <token>')"));
		}
		Jwt token;
		try {
			token = this.decoder.decode(authorization.substring(BEARER.length()).trim());
		}
		catch (BadJwtException ex) {
			return refuse(call, Status.UNAUTHENTICATED.withDescription("the token is not valid: " + ex.getMessage()));
		}
		catch (JwtException ex) {
			log.warn("gRPC call to {} refused as UNAVAILABLE: the token could not be checked ({})", service,
					ex.getMessage());
			return refuse(call, Status.UNAVAILABLE.withDescription("the token cannot be checked now; try again"));
		}
		String required = this.rules.requiredScope(service).orElse(null);
		if (required == null) {
			return refuse(call, Status.PERMISSION_DENIED.withDescription("nobody may call " + service));
		}
		if (!scopes(token).contains(required)) {
			return refuse(call, Status.PERMISSION_DENIED
				.withDescription("the token lacks the scope " + required + " that " + service + " requires"));
		}
		return next.startCall(call, headers);
	}

	private static java.util.List<String> scopes(Jwt token) {
		String scope = token.getClaimAsString("scope");
		return (scope == null) ? java.util.List.of() : Arrays.asList(scope.trim().split("\\s+"));
	}

	private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
		call.close(status, new Metadata());
		return new ServerCall.Listener<>() {
		};
	}

}

package com.example.shop.security.grpc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import com.example.shop.security.ServiceTokens;
import com.example.shop.security.TokenChecks;
import com.example.shop.testsupport.FreePorts;
import com.example.shop.testsupport.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real gRPC server on loopback with {@link GrpcTokenCheck} in front of two services, one with a rule
 * ({@code test.Catalog} needs {@code catalog.read}) and one without ({@code test.Unlisted}), plus the standard health
 * service; tokens from {@link TestTokens}' issuer, checked by the same decoder and checks as on REST. Each refusal has
 * its status; the client side ({@link ServiceTokenCallCredentials}) is shown to put a service's token on a call, and to
 * fail the call UNAVAILABLE when it has none.
 */
class GrpcTokenCheckTests {

	private static final TestTokens ISSUER = TestTokens.issuer();

	private static final MethodDescriptor<String, String> CATALOG = method("test.Catalog");

	private static final MethodDescriptor<String, String> UNLISTED = method("test.Unlisted");

	private Server server;

	private ManagedChannel channel;

	@AfterEach
	void stop() throws InterruptedException {
		if (this.channel != null) {
			this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
		if (this.server != null) {
			this.server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
	}

	@Test
	void aServiceTokenWithTheScopeIsServed() {
		start(realmDecoder());
		assertThat(call(CATALOG, ISSUER.service("order-service", "catalog.read"))).isEqualTo("served hello");
		assertThat(call(CATALOG, ISSUER.service("inventory-service", "inventory.read", "catalog.read")))
			.isEqualTo("served hello");
	}

	@Test
	void noTokenOrAnotherSchemeIsUnauthenticated() {
		start(realmDecoder());
		assertRefused(() -> call(CATALOG, null), Status.Code.UNAUTHENTICATED, "a bearer token is required");
		Metadata basic = new Metadata();
		basic.put(GrpcTokenCheck.AUTHORIZATION, "Basic b3JkZXItc2VydmljZTpzM2NyZXQ=");
		assertRefused(() -> callWith(CATALOG, basic), Status.Code.UNAUTHENTICATED, "a bearer token is required");
	}

	@Test
	void aTokenThatFailsAnyCheckIsUnauthenticated() {
		start(realmDecoder());
		Instant now = Instant.now();
		for (String broken : new String[] {
				ISSUER.token().scopes("catalog.read").expiresAt(now.minusSeconds(120)).issuedAt(now.minusSeconds(600)).sign(),
				ISSUER.token().scopes("catalog.read").audience("another-api").sign(),
				ISSUER.token().scopes("catalog.read").issuer("http://127.0.0.1:8180/realms/other").sign(),
				ISSUER.token().scopes("catalog.read").signedByStranger().sign(),
				ISSUER.token().scopes("catalog.read").unsigned(),
				ISSUER.token().scopes("catalog.read").signedWithPublicKeyAsHmacSecret(), "not-a-jwt" }) {
			assertRefused(() -> call(CATALOG, broken), Status.Code.UNAUTHENTICATED, "the token is not valid");
		}
	}

	@Test
	void aValidTokenWithoutTheScopeIsPermissionDenied() {
		start(realmDecoder());
		assertRefused(() -> call(CATALOG, ISSUER.service("notification-service", "orders.read")),
				Status.Code.PERMISSION_DENIED, "lacks the scope catalog.read");
		assertRefused(() -> call(CATALOG, ISSUER.customer("2f1c6a2e-5b1d-4c47-9a51-a11ce0000001")),
				Status.Code.PERMISSION_DENIED, "lacks the scope catalog.read");
	}

	@Test
	void aServiceNoRuleNamesIsClosedToEveryToken() {
		start(realmDecoder());
		assertRefused(() -> call(UNLISTED, ISSUER.service("order-service", "catalog.read", "inventory.read")),
				Status.Code.PERMISSION_DENIED, "nobody may call test.Unlisted");
	}

	@Test
	void healthChecksNeedNoToken() {
		start(realmDecoder());
		HealthCheckResponse health = HealthGrpc.newBlockingStub(this.channel)
			.withDeadlineAfter(5, TimeUnit.SECONDS)
			.check(HealthCheckRequest.getDefaultInstance());
		assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
	}

	@Test
	void keysThatCannotBeFetchedMakeTheCallUnavailableNotUnauthenticated() {
		start(decoder("http://127.0.0.1:" + FreePorts.one() + "/realms/shop/protocol/openid-connect/certs"));
		assertRefused(() -> call(CATALOG, ISSUER.service("order-service", "catalog.read")), Status.Code.UNAVAILABLE,
				"cannot be checked now");
	}

	@Test
	void theCallerSendsItsServiceTokenAsCallCredentials() {
		start(realmDecoder());
		ServiceTokens tokens = new ServiceTokens(request -> authorized(ISSUER.service("order-service", "catalog.read")),
				"shop", Clock.systemUTC());
		assertThat(callWithCredentials(new ServiceTokenCallCredentials(tokens))).isEqualTo("served hello");
	}

	@Test
	void aCallerWithoutATokenFailsUnavailableSoItsRetryAndBreakerTreatItAsAnOutage() {
		start(realmDecoder());
		ServiceTokens realmDown = new ServiceTokens(request -> {
			throw new IllegalStateException("connection refused");
		}, "shop", Clock.systemUTC());
		assertRefused(() -> callWithCredentials(new ServiceTokenCallCredentials(realmDown)), Status.Code.UNAVAILABLE,
				"no token for this service");
	}

	private void start(JwtDecoder decoder) {
		GrpcTokenCheck check = new GrpcTokenCheck(decoder,
				GrpcAccessRules.builder().service("test.Catalog", "catalog.read").build());
		try {
			this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
				.addService(ServerInterceptors.intercept(service(CATALOG), check))
				.addService(ServerInterceptors.intercept(service(UNLISTED), check))
				.addService(ServerInterceptors.intercept(new HealthStatusManager().getHealthService(), check))
				.build()
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.channel = NettyChannelBuilder.forAddress("127.0.0.1", this.server.getPort()).usePlaintext().build();
	}

	private String call(MethodDescriptor<String, String> method, String token) {
		Metadata headers = new Metadata();
		if (token != null) {
			headers.put(GrpcTokenCheck.AUTHORIZATION, "Bearer " + token);
		}
		return callWith(method, headers);
	}

	private String callWith(MethodDescriptor<String, String> method, Metadata headers) {
		return ClientCalls.blockingUnaryCall(
				io.grpc.ClientInterceptors.intercept(this.channel, MetadataUtils.newAttachHeadersInterceptor(headers)),
				method, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "hello");
	}

	private String callWithCredentials(CallCredentials credentials) {
		return ClientCalls.blockingUnaryCall(this.channel, CATALOG,
				CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS).withCallCredentials(credentials), "hello");
	}

	private static void assertRefused(Runnable call, Status.Code code, String description) {
		assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, refused -> {
			assertThat(refused.getStatus().getCode()).isEqualTo(code);
			assertThat(refused.getStatus().getDescription()).contains(description);
		});
	}

	private static JwtDecoder realmDecoder() {
		return decoder(ISSUER.jwkSetUri());
	}

	/** As libs/security's resource server builds it: RS256 only, the realm's checks. */
	private static JwtDecoder decoder(String jwkSetUri) {
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(jwkSetUri).jwsAlgorithm(SignatureAlgorithm.RS256).build();
		decoder.setJwtValidator(TokenChecks.of(ISSUER.issuerUri(), TestTokens.AUDIENCE, Duration.ofSeconds(30)));
		return decoder;
	}

	private static OAuth2AuthorizedClient authorized(String token) {
		ClientRegistration registration = ClientRegistration.withRegistrationId("shop")
			.clientId("order-service")
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.tokenUri("http://127.0.0.1:8180/realms/shop/protocol/openid-connect/token")
			.build();
		Instant now = Instant.now();
		return new OAuth2AuthorizedClient(registration, "service",
				new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, token, now, now.plusSeconds(300)));
	}

	private static ServerServiceDefinition service(MethodDescriptor<String, String> method) {
		return ServerServiceDefinition.builder(method.getServiceName())
			.addMethod(method, ServerCalls.asyncUnaryCall((request, answer) -> {
				answer.onNext("served " + request);
				answer.onCompleted();
			}))
			.build();
	}

	private static MethodDescriptor<String, String> method(String service) {
		return MethodDescriptor.<String, String>newBuilder()
			.setType(MethodDescriptor.MethodType.UNARY)
			.setFullMethodName(MethodDescriptor.generateFullMethodName(service, "Get"))
			.setRequestMarshaller(Text.MARSHALLER)
			.setResponseMarshaller(Text.MARSHALLER)
			.build();
	}

	private static final class Text implements MethodDescriptor.Marshaller<String> {

		static final Text MARSHALLER = new Text();

		@Override
		public InputStream stream(String value) {
			return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
		}

		@Override
		public String parse(InputStream stream) {
			try {
				return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}

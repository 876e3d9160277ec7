package com.example.shop.grpc.errors;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.grpc.server.exception.GrpcExceptionHandlerInterceptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What a client sees over a real channel, from a real server whose service throws, with the errors applied by Spring
 * gRPC's own exception interceptor (as a service's bean is); and what the service's log gets.
 */
class GrpcServerErrorsTests {

	private final ListAppender<ILoggingEvent> log = new ListAppender<>();

	private Server server;

	private ManagedChannel channel;

	@BeforeEach
	void captureTheServicesLog() {
		this.log.start();
		logger().addAppender(this.log);
	}

	@AfterEach
	void stop() throws InterruptedException {
		logger().detachAppender(this.log);
		stopServer();
	}

	private void stopServer() throws InterruptedException {
		if (this.channel != null) {
			this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
		if (this.server != null) {
			this.server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
	}

	@Test
	void statusThrownByTheServicePassesThroughUntouched() throws Exception {
		Status status = callFailingWith(
				(service) -> Status.NOT_FOUND.withDescription("no product " + service).asRuntimeException());

		assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
		assertThat(status.getDescription()).isEqualTo("no product shop.Catalog");
		assertThat(this.log.list).isEmpty();
	}

	@Test
	void databaseOutOfReachIsUnavailableWithTheServicesDescription() throws Exception {
		Status refused = callFailingWith((service) -> new DataAccessResourceFailureException("connection refused"));
		Status timedOut = callFailingWith((service) -> new QueryTimeoutException("statement timeout"));

		assertThat(refused.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
		assertThat(refused.getDescription()).isEqualTo("catalog storage is unavailable, retry later");
		assertThat(timedOut.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
		assertThat(this.log.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.WARN);
		assertThat(this.log.list.get(0).getFormattedMessage()).contains("database unavailable")
			.contains("connection refused");
	}

	@Test
	void anythingElseIsInternalWithTheDetailsOnlyInTheLog() throws Exception {
		Status status = callFailingWith((service) -> new IllegalStateException("secret detail of " + service));

		assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL);
		assertThat(status.getDescription()).isEqualTo("internal error, logged by product-service");
		assertThat(this.log.list).singleElement().satisfies((event) -> {
			assertThat(event.getLevel()).isEqualTo(Level.ERROR);
			assertThat(event.getLoggerName()).isEqualTo(CatalogErrors.class.getName());
			assertThat(event.getThrowableProxy().getMessage()).isEqualTo("secret detail of shop.Catalog");
		});
	}

	/** One call to a new server whose service throws what {@code failure} makes of the called service's name. */
	private Status callFailingWith(Function<String, RuntimeException> failure)
			throws IOException, InterruptedException {
		stopServer();
		HealthGrpc.HealthImplBase failing = new HealthGrpc.HealthImplBase() {
			@Override
			public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> response) {
				throw failure.apply(request.getService());
			}
		};
		this.server = NettyServerBuilder
			.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), InsecureServerCredentials.create())
			.addService(ServerInterceptors.intercept(failing, new GrpcExceptionHandlerInterceptor(new CatalogErrors())))
			.build()
			.start();
		this.channel = Grpc
			.newChannelBuilderForAddress("127.0.0.1", ((InetSocketAddress) this.server.getListenSockets().get(0)).getPort(),
					InsecureChannelCredentials.create())
			.build();
		StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
				() -> HealthGrpc.newBlockingStub(this.channel)
					.withDeadlineAfter(10, TimeUnit.SECONDS)
					.check(HealthCheckRequest.newBuilder().setService("shop.Catalog").build()));
		assertThat(refused).as("the call fails").isNotNull();
		return refused.getStatus();
	}

	private static Logger logger() {
		return (Logger) LoggerFactory.getLogger(CatalogErrors.class);
	}

	/** A service's errors, as product-service declares its own. */
	static final class CatalogErrors extends GrpcServerErrors {

		CatalogErrors() {
			super("catalog storage is unavailable, retry later", "internal error, logged by product-service");
		}

	}

}

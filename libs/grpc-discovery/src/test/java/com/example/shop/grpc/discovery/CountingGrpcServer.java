package com.example.shop.grpc.discovery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.protobuf.services.HealthStatusManager;

/**
 * A real gRPC server on a free loopback port that serves grpc-java's health service and counts the calls it
 * gets: one replica of "some service" for the resolver's tests, which care where calls go, not what they do.
 */
final class CountingGrpcServer implements AutoCloseable {

	private final Server server;

	private final AtomicInteger calls = new AtomicInteger();

	private CountingGrpcServer() {
		ServerInterceptor counting = new ServerInterceptor() {
			@Override
			public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
					ServerCallHandler<Q, A> next) {
				CountingGrpcServer.this.calls.incrementAndGet();
				return next.startCall(call, headers);
			}
		};
		this.server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
			.addService(ServerInterceptors.intercept(new HealthStatusManager().getHealthService(), counting))
			.build();
	}

	static CountingGrpcServer start() {
		CountingGrpcServer replica = new CountingGrpcServer();
		try {
			replica.server.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return replica;
	}

	int port() {
		return ((InetSocketAddress) this.server.getListenSockets().get(0)).getPort();
	}

	int calls() {
		return this.calls.get();
	}

	@Override
	public void close() throws InterruptedException {
		this.server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
	}

}

package com.example.shop.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connection-level limits, with the values of application.yml scaled down so the test is quick: 4
 * connections per client address, 2 s for a request head, 4 s idle. Raw sockets, all from 127.0.0.1, and
 * a WebSocket through the gateway to a real WebSocket server.
 */
@GatewayTest
@TestPropertySource(properties = { "shop.gateway.max-connections-per-client=4", "shop.gateway.request-head-timeout=2s",
		"server.netty.idle-timeout=4s" })
class ConnectionLimitsTests {

	private static final String HEALTH = RawHttp.request("GET", "/livez", "");

	/** A real WebSocket server standing in for notification-service: answers every text with "echo:" + text. */
	private static final DisposableServer notificationService = HttpServer.create()
		.host("127.0.0.1")
		.port(0)
		.route(routes -> routes.ws("/ws/orders/{orderId}",
				(in, out) -> out.sendString(in.receive().asString().map(text -> "echo:" + text))))
		.bindNow();

	@DynamicPropertySource
	static void registerDownstream(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.discovery.client.simple.instances.notification-service[0].uri",
				() -> "http://127.0.0.1:" + notificationService.port());
		Tokens.trustTestIssuer(registry);
	}

	@AfterAll
	static void stopDownstream() {
		notificationService.disposeNow();
	}

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	@BeforeEach
	void letTheServerSeeEarlierConnectionsClosed() {
		awaitPlaceFreed();
	}

	@Test
	void refusesTheConnectionOverTheClientsLimitWhileTheOthersAreServed() {
		List<RawHttp> connections = new ArrayList<>();
		try {
			for (int i = 0; i < 4; i++) {
				RawHttp connection = RawHttp.connect(port);
				connections.add(connection);
				assertThat(connection.send(HEALTH).status()).isEqualTo(200);
			}
			double refusedBefore = refused();

			try (RawHttp fifth = RawHttp.connect(port)) {
				Instant start = Instant.now();
				assertThat(fifth.closedByServer(2000)).as("fifth connection closed").isTrue();
				assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofMillis(500));
			}
			assertThat(refused()).isEqualTo(refusedBefore + 1);

			// The four admitted connections are still served, kept alive.
			for (RawHttp connection : connections) {
				assertThat(connection.send(HEALTH).status()).isEqualTo(200);
			}

			// A closed connection frees its place.
			connections.removeFirst().close();
			awaitPlaceFreed();
			try (RawHttp another = RawHttp.connect(port)) {
				assertThat(another.send(HEALTH).status()).isEqualTo(200);
			}
		}
		finally {
			connections.forEach(RawHttp::close);
		}
	}

	/** The head deadline (2 s here) cuts a head that never ends, before the idle timeout (4 s) would. */
	@Test
	void closesAnIncompleteRequestHeadAtTheDeadline() {
		try (RawHttp slow = RawHttp.connect(port)) {
			Instant start = Instant.now();
			slow.write("GET /livez HTTP/1.1\r\nHost: loc".getBytes());

			assertThat(slow.closedByServer(6000)).isTrue();

			assertThat(Duration.between(start, Instant.now())).isBetween(Duration.ofMillis(1800), Duration.ofMillis(3000));
		}
	}

	/** An idle kept-alive connection is closed at the idle timeout (4 s here), not at the head deadline. */
	@Test
	void closesAnIdleKeepAliveConnectionAtTheIdleTimeout() {
		try (RawHttp idle = RawHttp.connect(port)) {
			assertThat(idle.send(HEALTH).status()).isEqualTo(200);
			Instant served = Instant.now();

			assertThat(idle.closedByServer(8000)).isTrue();

			assertThat(Duration.between(served, Instant.now())).isBetween(Duration.ofMillis(3800), Duration.ofMillis(5500));
		}
	}

	/** A request head that arrives in pieces within the deadline is served. */
	@Test
	void servesAHeadThatArrivesInPiecesWithinTheDeadline() throws InterruptedException {
		try (RawHttp connection = RawHttp.connect(port)) {
			connection.write("GET /livez HTTP/1.1\r\n".getBytes());
			Thread.sleep(500);
			connection.write("Host: localhost\r\n".getBytes());
			Thread.sleep(500);
			assertThat(connection.send("\r\n").status()).isEqualTo(200);
		}
	}

	/**
	 * A WebSocket is one long-lived connection: neither the head deadline (2 s here) nor the idle timeout
	 * (4 s) applies once it is upgraded, so a quiet socket still works after both.
	 */
	@Test
	void leavesAnUpgradedWebSocketOpenPastTheHeadDeadlineAndTheIdleTimeout() throws Exception {
		BlockingQueue<String> received = new LinkedBlockingQueue<>();
		WebSocket socket = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.header("Authorization", "Bearer " + Tokens.customer())
			.buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/orders/o-1"), new WebSocket.Listener() {
				@Override
				public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
					received.add(data.toString());
					webSocket.request(1);
					return null;
				}
			})
			.get(5, TimeUnit.SECONDS);
		try {
			socket.sendText("first", true).get(2, TimeUnit.SECONDS);
			assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("echo:first");

			Thread.sleep(5000);

			socket.sendText("after a quiet while", true).get(2, TimeUnit.SECONDS);
			assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("echo:after a quiet while");
		}
		finally {
			socket.abort();
		}
	}

	private double refused() {
		var counter = meters.find("gateway.connections.refused").tag("reason", "per-client-limit").counter();
		return (counter != null) ? counter.count() : 0;
	}

	/** The server sees a close a moment after the client made it: give it that moment. */
	private static void awaitPlaceFreed() {
		try {
			Thread.sleep(300);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}

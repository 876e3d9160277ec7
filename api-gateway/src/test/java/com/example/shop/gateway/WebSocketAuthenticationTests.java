package com.example.shop.gateway;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;

import static com.example.shop.gateway.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The live order status WebSocket through the gateway, authenticated the two ways a client can: the
 * {@code Authorization} header (any client but a browser), and the subprotocols {@code bearer, <token>} (a
 * browser, whose WebSocket API sets no headers). Either way the service receives the token as
 * {@code Authorization: Bearer}, and never in {@code Sec-WebSocket-Protocol}.
 */
@GatewayTest
class WebSocketAuthenticationTests {

	/** What notification-service received in each handshake. */
	private static final List<io.netty.handler.codec.http.HttpHeaders> handshakes = new CopyOnWriteArrayList<>();

	/**
	 * A real WebSocket server standing in for notification-service: records the handshake, selects the
	 * {@code bearer} subprotocol when it is offered (none otherwise), answers every text with "echo:" + text.
	 */
	private static final DisposableServer notificationService = HttpServer.create()
		.host("127.0.0.1")
		.port(0)
		.route(routes -> routes.get("/ws/orders/{orderId}", (request, response) -> {
			handshakes.add(new DefaultHttpHeaders().add(request.requestHeaders()));
			boolean bearerOffered = request.requestHeaders().contains("Sec-WebSocket-Protocol");
			WebsocketServerSpec spec = bearerOffered ? WebsocketServerSpec.builder().protocols("bearer").build()
					: WebsocketServerSpec.builder().build();
			return response.sendWebsocket(
					(in, out) -> out.sendString(in.receive().asString().map(text -> "echo:" + text)), spec);
		}))
		.bindNow();

	@DynamicPropertySource
	static void registerDownstreamAndIssuer(DynamicPropertyRegistry registry) {
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

	private final ReactorNettyWebSocketClient client = new ReactorNettyWebSocketClient();

	@BeforeEach
	void forgetHandshakes() {
		handshakes.clear();
	}

	@Test
	void acceptsTheTokenOfferedAsSubprotocolAndForwardsItAsAuthorization() {
		String token = Tokens.customer();

		Session session = connect(new HttpHeaders(), List.of("bearer", token));

		assertThat(session.handshake().getSubProtocol()).isEqualTo("bearer");
		assertThat(session.reply()).isEqualTo("echo:hello");
		assertThat(handshakes).singleElement().satisfies(handshake -> {
			assertThat(handshake.getAll("Authorization")).containsExactly("Bearer " + token);
			assertThat(handshake.get("Sec-WebSocket-Protocol")).isEqualTo("bearer");
		});
	}

	@Test
	void acceptsTheTokenInTheAuthorizationHeader() {
		String token = Tokens.customer();
		HttpHeaders headers = new HttpHeaders();
		headers.setBearerAuth(token);

		Session session = connect(headers, List.of());

		assertThat(session.handshake().getSubProtocol()).isNull();
		assertThat(session.reply()).isEqualTo("echo:hello");
		assertThat(handshakes).singleElement().satisfies(handshake -> {
			assertThat(handshake.getAll("Authorization")).containsExactly("Bearer " + token);
			assertThat(handshake.get("Sec-WebSocket-Protocol")).isNull();
		});
	}

	@Test
	void refusesTheHandshakeWithoutATokenWith401() {
		assertThatThrownBy(() -> connect(new HttpHeaders(), List.of()))
			.isInstanceOfSatisfying(WebSocketClientHandshakeException.class,
					refused -> assertThat(refused.response().status().code()).isEqualTo(401));
		assertThatThrownBy(() -> connect(new HttpHeaders(), List.of("bearer")))
			.isInstanceOfSatisfying(WebSocketClientHandshakeException.class,
					refused -> assertThat(refused.response().status().code()).isEqualTo(401));

		RawHttp.Response response = RawHttp.exchange(port, upgrade(""));
		JsonNode problem = assertProblem(response, 401, "Unauthorized");
		assertThat(problem.path("detail").asString()).contains("Sec-WebSocket-Protocol");
		assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
		assertThat(handshakes).isEmpty();
	}

	@Test
	void refusesAnExpiredTokenOfferedAsSubprotocolWith401() {
		String expired = Tokens.expiredCustomer(Instant.now().minusSeconds(120));

		RawHttp.Response response = RawHttp.exchange(port, upgrade("Sec-WebSocket-Protocol: bearer, " + expired + "\r\n"));

		JsonNode problem = assertProblem(response, 401, "Unauthorized");
		assertThat(problem.path("detail").asString()).contains("expired");
		assertThat(response.header("WWW-Authenticate")).startsWith("Bearer error=\"invalid_token\"");
		assertThat(response.body()).doesNotContain(expired);
		assertThat(handshakes).isEmpty();
	}

	@Test
	void refusesATokenSentBothWaysWith400() {
		String token = Tokens.customer();

		RawHttp.Response response = RawHttp.exchange(port,
				upgrade("Sec-WebSocket-Protocol: bearer, " + token + "\r\nAuthorization: Bearer " + token + "\r\n"));

		JsonNode problem = assertProblem(response, 400, "Bad request");
		assertThat(problem.path("detail").asString()).contains("once");
		assertThat(handshakes).isEmpty();
	}

	/** The handshake checks come first: a broken handshake is refused as such, token or not. */
	@Test
	void refusesABrokenHandshakeAsSuchBeforeLookingAtTheToken() {
		RawHttp.Response response = RawHttp.exchange(port, RawHttp.request("GET", "/ws/orders/o-1",
				"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
						+ "Sec-WebSocket-Version: 8\r\n"));

		assertProblem(response, 426, "Upgrade required");
		assertThat(handshakes).isEmpty();
	}

	/** A complete WebSocket upgrade request for {@code /ws/orders/o-1}, with the given extra header lines. */
	private static String upgrade(String extraHeaders) {
		return RawHttp.request("GET", "/ws/orders/o-1", "Upgrade: websocket\r\nConnection: Upgrade\r\n"
				+ "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" + extraHeaders);
	}

	private record Session(HandshakeInfo handshake, String reply) {
	}

	/** Opens the socket with these headers and subprotocols, sends "hello", returns the first answer. */
	private Session connect(HttpHeaders headers, List<String> subProtocols) {
		Session[] session = new Session[1];
		client.execute(URI.create("ws://127.0.0.1:" + port + "/ws/orders/o-1"), headers, new WebSocketHandler() {

			@Override
			public List<String> getSubProtocols() {
				return subProtocols;
			}

			@Override
			public Mono<Void> handle(WebSocketSession socket) {
				return socket.send(Mono.just(socket.textMessage("hello")))
					.then(socket.receive().next().map(message -> message.getPayloadAsText()))
					.doOnNext(reply -> session[0] = new Session(socket.getHandshakeInfo(), reply))
					.then(socket.close());
			}

		}).block(Duration.ofSeconds(10));
		assertThat(session[0]).as("an answer before the socket closed").isNotNull();
		return session[0];
	}

}

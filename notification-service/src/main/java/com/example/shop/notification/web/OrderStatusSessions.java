package com.example.shop.notification.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.example.shop.notification.live.LiveStatusProperties;
import com.example.shop.notification.live.OrderStatusUpdate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * This replica's open live sessions, by order id (thread-safe: the Kafka feed, WebSocket callbacks and the ping
 * timer use it at once). Removes a session when it closes, fails a send, falls too far behind or stops answering
 * pings (every {@code ping-interval}; no pong for two intervals means a half-open connection). Closes a session
 * {@code close-after-final-status} after its order reached a final status: nothing more will come, and the
 * client has had time to read it (a reconnect is told the final status again). Closes a session when the token it
 * was opened with expires: access lasts as long as the token, however long the connection.
 * <p>
 * Metrics: {@code notification.websocket.sessions} (open sessions, gauge) and
 * {@code notification.websocket.messages.sent} (status updates sent, counter).
 */
@Component
public class OrderStatusSessions implements LiveOrderSession.Listener, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(OrderStatusSessions.class);

	private final Map<UUID, Set<LiveOrderSession>> byOrder = new ConcurrentHashMap<>();

	private final Map<String, LiveOrderSession> byId = new ConcurrentHashMap<>();

	private final LiveStatusProperties properties;

	private final OrderStatusFrames frames;

	private final Counter sentMessages;

	private final Clock clock;

	// Sends run here, one virtual thread per session's turn, so no client's slowness reaches another.
	private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();

	// Pings and delayed closes only: one small platform thread.
	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
			Thread.ofPlatform().name("live-status-timer").daemon().factory());

	OrderStatusSessions(LiveStatusProperties properties, OrderStatusFrames frames, MeterRegistry meters, Clock clock) {
		this.properties = properties;
		this.frames = frames;
		this.clock = clock;
		Gauge.builder("notification.websocket.sessions", this.byId, Map::size)
			.description("Open live order status WebSocket sessions on this replica")
			.register(meters);
		this.sentMessages = Counter.builder("notification.websocket.messages.sent")
			.description("Order status updates sent to WebSocket clients")
			.register(meters);
		long ping = properties.pingInterval().toMillis();
		this.timer.scheduleAtFixedRate(this::pingAll, ping, ping, TimeUnit.MILLISECONDS);
	}

	/**
	 * Registers the session; from now on every update of its order pushed on this replica reaches it, until it
	 * closes, and at the latest until {@code tokenExpiresAt} (null: no limit), when the caller's token expires:
	 * then it is closed with {@code 1008 policy violation} ("token expired"), and the client connects again with a
	 * fresh token (and is told the current status).
	 */
	LiveOrderSession register(UUID orderId, WebSocketSession session, @Nullable Instant tokenExpiresAt) {
		LiveOrderSession live = new LiveOrderSession(orderId, session, this.properties, this.frames, this.senders,
				this, this.clock);
		this.byId.put(live.id(), live);
		this.byOrder.compute(orderId, (id, sessions) -> {
			Set<LiveOrderSession> set = (sessions != null) ? sessions : ConcurrentHashMap.newKeySet();
			set.add(live);
			return set;
		});
		if (tokenExpiresAt != null) {
			long delay = Math.max(0, Duration.between(this.clock.instant(), tokenExpiresAt).toMillis());
			this.timer.schedule(() -> {
				if (this.byId.containsKey(live.id())) {
					log.info("Closing live session {} of order {}: the caller's token expired", live.id(), orderId);
					live.close(CloseStatus.POLICY_VIOLATION.withReason("token expired"));
					remove(live.id());
				}
			}, delay, TimeUnit.MILLISECONDS);
		}
		return live;
	}

	/** Sends the update to this replica's sessions of its order (each drops it if it already has a later one). */
	public void push(OrderStatusUpdate update) {
		Set<LiveOrderSession> sessions = this.byOrder.get(update.orderId());
		if (sessions != null) {
			sessions.forEach(session -> session.offer(update));
		}
	}

	void remove(String sessionId) {
		LiveOrderSession live = this.byId.remove(sessionId);
		if (live != null) {
			this.byOrder.computeIfPresent(live.orderId(), (id, sessions) -> {
				sessions.remove(live);
				return sessions.isEmpty() ? null : sessions;
			});
		}
	}

	void ponged(String sessionId) {
		LiveOrderSession live = this.byId.get(sessionId);
		if (live != null) {
			live.ponged();
		}
	}

	public int open() {
		return this.byId.size();
	}

	public int open(UUID orderId) {
		Set<LiveOrderSession> sessions = this.byOrder.get(orderId);
		return (sessions != null) ? sessions.size() : 0;
	}

	@Override
	public void sent(LiveOrderSession session, OrderStatusUpdate update) {
		this.sentMessages.increment();
		if (update.status().isFinal()) {
			this.timer.schedule(() -> {
				session.close(CloseStatus.NORMAL.withReason("order " + update.status()));
				remove(session.id());
			}, this.properties.closeAfterFinalStatus().toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	@Override
	public void failed(LiveOrderSession session) {
		remove(session.id());
	}

	private void pingAll() {
		try {
			Instant now = this.clock.instant();
			Duration deadAfter = this.properties.pingInterval().multipliedBy(2);
			this.byId.values().forEach(session -> {
				if (!session.ping(now, deadAfter)) {
					remove(session.id());
				}
			});
		}
		catch (RuntimeException ex) {
			// Never let one failure cancel the periodic task.
			log.warn("Pinging live sessions failed", ex);
		}
	}

	/** On shutdown: tell clients to reconnect (to another replica, through the gateway). */
	@Override
	public void destroy() {
		this.timer.shutdownNow();
		this.byId.values().forEach(session -> session.close(CloseStatus.GOING_AWAY));
		this.byId.clear();
		this.byOrder.clear();
		this.senders.shutdownNow();
	}

}

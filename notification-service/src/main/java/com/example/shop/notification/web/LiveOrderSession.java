package com.example.shop.notification.web;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.example.shop.notification.live.LiveStatusProperties;
import com.example.shop.notification.live.OrderStatusUpdate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;

/**
 * One client watching one order. Updates are queued and sent in order by one sender at a time on a virtual
 * thread, never on the caller's thread: the Kafka feed thread hands an update to every session and moves on, so
 * a slow or stuck client holds back nobody but itself. Sends go through a {@link ConcurrentWebSocketSessionDecorator}
 * (send-time and buffer limits), and a client that falls {@code queuedUpdatesLimit} updates behind is closed: it
 * reconnects and is told the current status.
 * <p>
 * An update is sent only when its {@code at} is later than the last one this client got, so the status read at
 * connect, the fallback answer of order-service and live events, which race, never move a client backwards.
 */
final class LiveOrderSession {

	private static final Logger log = LoggerFactory.getLogger(LiveOrderSession.class);

	/** Tells the registry that a session is done (closed, failed or too slow). */
	interface Listener {

		void sent(LiveOrderSession session, OrderStatusUpdate update);

		void failed(LiveOrderSession session);

	}

	private final UUID orderId;

	private final WebSocketSession session;

	private final OrderStatusFrames frames;

	private final Executor senders;

	private final int queuedUpdatesLimit;

	private final Listener listener;

	private final Clock clock;

	private final Queue<OrderStatusUpdate> queue = new ConcurrentLinkedQueue<>();

	private final AtomicInteger queued = new AtomicInteger();

	private final AtomicBoolean sending = new AtomicBoolean();

	// Written only by the one sender at a time (the sending flag hands it over with a happens-before edge).
	private volatile @Nullable OrderStatusUpdate lastSent;

	private volatile Instant lastPong;

	LiveOrderSession(UUID orderId, WebSocketSession session, LiveStatusProperties properties,
			OrderStatusFrames frames, Executor senders, Listener listener, Clock clock) {
		this.orderId = orderId;
		this.session = new ConcurrentWebSocketSessionDecorator(session, (int) properties.sendTimeLimit().toMillis(),
				(int) properties.sendBufferLimit().toBytes(), ConcurrentWebSocketSessionDecorator.OverflowStrategy.TERMINATE);
		this.frames = frames;
		this.senders = senders;
		this.queuedUpdatesLimit = properties.queuedUpdatesLimit();
		this.listener = listener;
		this.clock = clock;
		this.lastPong = clock.instant();
	}

	UUID orderId() {
		return this.orderId;
	}

	String id() {
		return this.session.getId();
	}

	/** Queues the update for this client and returns at once. */
	void offer(OrderStatusUpdate update) {
		if (this.queued.incrementAndGet() > this.queuedUpdatesLimit) {
			log.info("Closing live session {} of order {}: {} status updates behind", id(), this.orderId,
					this.queuedUpdatesLimit);
			close(CloseStatus.SESSION_NOT_RELIABLE.withReason("too slow"));
			this.listener.failed(this);
			return;
		}
		this.queue.add(update);
		if (this.sending.compareAndSet(false, true)) {
			this.senders.execute(this::sendQueued);
		}
	}

	private void sendQueued() {
		do {
			OrderStatusUpdate next;
			while ((next = this.queue.poll()) != null) {
				this.queued.decrementAndGet();
				sendIfLater(next);
			}
			this.sending.set(false);
		}
		// An update queued after the poll came back empty and before the flag was cleared: take it too.
		while (!this.queue.isEmpty() && this.sending.compareAndSet(false, true));
	}

	private void sendIfLater(OrderStatusUpdate update) {
		if (!update.isLaterThan(this.lastSent) || !this.session.isOpen()) {
			return;
		}
		try {
			this.session.sendMessage(new TextMessage(this.frames.write(update)));
			this.lastSent = update;
			this.listener.sent(this, update);
		}
		catch (IOException | RuntimeException ex) {
			// RuntimeException: the decorator's SessionLimitExceededException (send time or buffer exceeded).
			log.info("Closing live session {} of order {}: send failed: {}", id(), this.orderId, ex.toString());
			close(CloseStatus.SESSION_NOT_RELIABLE);
			this.listener.failed(this);
		}
	}

	/**
	 * Pings the client, unless it has not answered the pings of the last {@code deadAfter}: then it is gone
	 * without closing its TCP connection (half-open) and is closed here.
	 * @return false when the session was found dead (and closed)
	 */
	boolean ping(Instant now, Duration deadAfter) {
		if (this.lastPong.plus(deadAfter).isBefore(now)) {
			log.info("Closing live session {} of order {}: no pong since {}", id(), this.orderId, this.lastPong);
			close(CloseStatus.SESSION_NOT_RELIABLE.withReason("no pong"));
			return false;
		}
		this.senders.execute(() -> {
			try {
				this.session.sendMessage(new PingMessage());
			}
			catch (IOException | RuntimeException ex) {
				log.info("Closing live session {} of order {}: ping failed: {}", id(), this.orderId, ex.toString());
				close(CloseStatus.SESSION_NOT_RELIABLE);
				this.listener.failed(this);
			}
		});
		return true;
	}

	void ponged() {
		this.lastPong = this.clock.instant();
	}

	void close(CloseStatus status) {
		try {
			this.session.close(status);
		}
		catch (IOException | RuntimeException ex) {
			log.debug("Closing live session {} failed: {}", id(), ex.toString());
		}
	}

}

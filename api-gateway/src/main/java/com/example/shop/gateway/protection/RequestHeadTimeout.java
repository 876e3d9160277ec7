package com.example.shop.gateway.protection;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose request head (request line and headers) has not arrived completely within
 * {@code shop.gateway.request-head-timeout}: a "slowloris" client sending a header byte now and then
 * would otherwise hold the connection for as long as it likes. Reactor Netty has no such deadline: its
 * {@code readTimeout} and {@code requestTimeout} start once the head is decoded, and its idle timeout is
 * meant for connections between requests.
 * <p>
 * The clock starts when the connection opens, and on a kept-alive connection with the first bytes of the
 * next request (a read that decodes no message while no request is in progress), so an idle keep-alive
 * connection is left to the idle timeout. It stops when the HTTP codec hands over the request head.
 * Sits after the codec, so it sees decoded messages; a socket read the codec could not turn into a
 * message still shows as a read completed. After a WebSocket upgrade (101) it removes itself.
 * One instance per connection.
 */
public final class RequestHeadTimeout extends ChannelDuplexHandler {

	/** The handler's name in the connection's pipeline. */
	public static final String NAME = "shop.requestHeadTimeout";

	private static final Logger log = LoggerFactory.getLogger(RequestHeadTimeout.class);

	private final long timeoutNanos;

	private ScheduledFuture<?> deadline;

	/** A request head arrived and its body has not ended yet. */
	private boolean requestInProgress;

	/** The current socket read produced at least one message. */
	private boolean decodedInThisRead;

	public RequestHeadTimeout(Duration timeout) {
		this.timeoutNanos = timeout.toNanos();
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		if (ctx.channel().isActive()) {
			start(ctx);
		}
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		start(ctx);
		ctx.fireChannelActive();
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		decodedInThisRead = true;
		if (msg instanceof HttpRequest) {
			stop();
			requestInProgress = true;
		}
		if (msg instanceof LastHttpContent) {
			requestInProgress = false;
		}
		ctx.fireChannelRead(msg);
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		if (!decodedInThisRead && !requestInProgress) {
			// Bytes of a request head that is not complete yet.
			start(ctx);
		}
		decodedInThisRead = false;
		ctx.fireChannelReadComplete();
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		if (msg instanceof HttpResponse response
				&& response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
			// A WebSocket from now on: frames, no more request heads.
			stop();
			ctx.pipeline().remove(this);
		}
		ctx.write(msg, promise);
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		stop();
		ctx.fireChannelInactive();
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		stop();
	}

	private void start(ChannelHandlerContext ctx) {
		if (deadline == null) {
			deadline = ctx.executor().schedule(() -> expire(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
		}
	}

	private void expire(ChannelHandlerContext ctx) {
		deadline = null;
		log.debug("Closed a connection from {}: no complete request head within {} ms",
				ctx.channel().remoteAddress(), TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
		ctx.close();
	}

	private void stop() {
		if (deadline != null) {
			deadline.cancel(false);
			deadline = null;
		}
	}

}

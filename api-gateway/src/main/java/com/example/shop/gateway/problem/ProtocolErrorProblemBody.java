package com.example.shop.gateway.problem;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import com.example.shop.gateway.correlation.RequestIdFilter;

/**
 * Gives a problem+json body to the answers written below Spring, which otherwise go out empty:
 * <ul>
 * <li>Reactor Netty's answer to a request its HTTP decoder could not parse: 400 for a request line or
 * header that is not valid HTTP/1.1 (a {@code {} or a lone {@code %} in the target, a control character
 * in a header value), 414 for a request line over {@code server.netty.max-initial-line-length}, 431 for
 * headers over {@code server.max-http-request-header-size};</li>
 * <li>Spring's 400 for a request target that Reactor Netty accepted but {@link java.net.URI} cannot
 * (a malformed percent-encoding such as {@code %zz}).</li>
 * </ul>
 * Such an answer is recognised as an empty 400, 414 or 431 without an {@code X-Request-Id}: every answer
 * that went through the application carries that header ({@link RequestIdFilter}), so an empty 400 a
 * downstream service sent is passed on untouched. The problem has no {@code instance} and no
 * {@code requestId}: the request never reached the filters that know them (and its target may be what
 * could not be parsed).
 * <p>
 * Placed on every connection's pipeline, just after the HTTP codec, by
 * {@link com.example.shop.gateway.protection.ConnectionProtection}.
 */
@Sharable
public final class ProtocolErrorProblemBody extends ChannelDuplexHandler {

	/** The handler's name in the connection's pipeline. */
	public static final String NAME = "shop.protocolErrorProblemBody";

	private final String maxRequestLine;

	private final String maxHeaders;

	/**
	 * @param maxRequestLine the request line limit, as the 414 detail names it ("4 KB")
	 * @param maxHeaders the header size limit, as the 431 detail names it ("8 KB")
	 */
	public ProtocolErrorProblemBody(String maxRequestLine, String maxHeaders) {
		this.maxRequestLine = maxRequestLine;
		this.maxHeaders = maxHeaders;
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		if (msg instanceof FullHttpResponse response && isEmptyProtocolError(response)) {
			byte[] body = problemFor(HttpStatus.valueOf(response.status().code()));
			FullHttpResponse withBody = response.replace(Unpooled.wrappedBuffer(body));
			response.release();
			withBody.headers()
				.set(HttpHeaderNames.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE)
				.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
			ctx.write(withBody, promise);
			return;
		}
		ctx.write(msg, promise);
	}

	private static boolean isEmptyProtocolError(FullHttpResponse response) {
		int status = response.status().code();
		return (status == 400 || status == 414 || status == 431) && !response.content().isReadable()
				&& !response.headers().contains(RequestIdFilter.HEADER);
	}

	byte[] problemFor(HttpStatus status) {
		String title;
		String detail;
		switch (status) {
			case URI_TOO_LONG -> {
				title = "URI too long";
				detail = "The request line is longer than the " + maxRequestLine + " the gateway accepts";
			}
			case REQUEST_HEADER_FIELDS_TOO_LARGE -> {
				title = "Request header fields too large";
				detail = "The request headers are larger than the " + maxHeaders + " the gateway accepts";
			}
			default -> {
				title = "Bad request";
				detail = "The request is not valid HTTP/1.1: its request line or a header could not be parsed "
						+ "(for example a character that must be percent-encoded, a malformed percent-encoding "
						+ "or a control character in a header)";
			}
		}
		// Fixed texts without quotes or backslashes: nothing to escape.
		String json = "{\"type\":\"" + GatewayProblems.typeFor(status) + "\",\"title\":\"" + title
				+ "\",\"status\":" + status.value() + ",\"detail\":\"" + detail + "\"}";
		return json.getBytes(StandardCharsets.UTF_8);
	}

}

package com.example.shop.gateway.protection;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;

import com.example.shop.gateway.problem.GatewayProblemException;

/**
 * Refuses request bodies larger than {@code shop.gateway.max-request-size} with 413 before they reach a
 * service or the gateway's own body buffering (the circuit breaker fallback and the retry filter keep a
 * copy of the body to send it again). A declared {@code Content-Length} is checked up front; a chunked
 * body of unknown length is read up to the limit, and passed on with its length once it fits.
 * <p>
 * A global filter, so it runs after the CORS check (a browser can read the 413) and applies to every
 * route; the only route outside {@code /api/**} is the WebSocket upgrade, which has no body.
 */
@Component
public class RequestSizeLimitFilter implements GlobalFilter, Ordered {

	private final DataSize maxRequestSize;

	public RequestSizeLimitFilter(GatewayLimits limits) {
		this.maxRequestSize = limits.maxRequestSize();
	}

	@Override
	public int getOrder() {
		// Before every other global filter, in particular the body caching ones.
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		long declaredLength = request.getHeaders().getContentLength();
		if (declaredLength > maxRequestSize.toBytes()) {
			return Mono.error(tooLarge());
		}
		if (declaredLength >= 0 || request.getHeaders().getFirst(HttpHeaders.TRANSFER_ENCODING) == null) {
			return chain.filter(exchange);
		}
		return DataBufferUtils.join(request.getBody(), Math.toIntExact(maxRequestSize.toBytes()))
			.map(RequestSizeLimitFilter::bytesOf)
			.defaultIfEmpty(new byte[0])
			.onErrorMap(DataBufferLimitException.class, tooBig -> tooLarge())
			.flatMap(body -> chain.filter(exchange.mutate().request(withKnownLength(exchange, body)).build()));
	}

	private GatewayProblemException tooLarge() {
		return new GatewayProblemException(HttpStatus.CONTENT_TOO_LARGE, "Payload too large",
				"The request body is larger than the " + maxRequestSize.toKilobytes() + " KB the API accepts");
	}

	private static byte[] bytesOf(DataBuffer buffer) {
		try {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			return bytes;
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

	/** The same request, with the body already read and sent on with a Content-Length. */
	private static ServerHttpRequest withKnownLength(ServerWebExchange exchange, byte[] body) {
		DataBufferFactory buffers = exchange.getResponse().bufferFactory();
		ServerHttpRequest withLength = exchange.getRequest().mutate().headers(headers -> {
			headers.remove(HttpHeaders.TRANSFER_ENCODING);
			headers.setContentLength(body.length);
		}).build();
		return new ServerHttpRequestDecorator(withLength) {
			@Override
			public Flux<DataBuffer> getBody() {
				// A fresh buffer per subscription: a retried request sends the body again.
				return Flux.defer(() -> Flux.just(buffers.wrap(body)));
			}
		};
	}

}

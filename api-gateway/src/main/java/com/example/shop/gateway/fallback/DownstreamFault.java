package com.example.shop.gateway.fallback;

import java.io.IOException;
import java.util.function.Predicate;

import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.server.ResponseStatusException;

/**
 * What a circuit breaker counts as a failure: only a fault of the downstream service, never something
 * one client caused. A service answers 500 for its own bug (often triggered by one request's input) and
 * 503 when its own dependency is down, so a flood of requests the service answers 500 or 4xx must not
 * open the breaker and cut the service off for everyone. Counted:
 * <ul>
 * <li>the statuses the routes' {@code statusCodes} turn into a failure (502, 503, 504), and the 503 of
 * "no instance" and the 504 of a route timeout, both of which the gateway raises as a
 * {@link ResponseStatusException};</li>
 * <li>timeouts (the breaker's time limit and the route's response timeout);</li>
 * <li>I/O errors: a refused, reset or prematurely closed connection.</li>
 * </ul>
 * Anything else (a bug in the gateway, a client that went away) is not the service's fault. The cause
 * chain is searched because the retry filter and the gateway wrap the original failure. Named in
 * {@code resilience4j.circuitbreaker.configs.default.record-failure-predicate}, which instantiates it.
 */
public class DownstreamFault implements Predicate<Throwable> {

	@Override
	public boolean test(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof IOException || cause instanceof java.util.concurrent.TimeoutException
					|| cause instanceof org.springframework.cloud.gateway.support.TimeoutException) {
				return true;
			}
			if (cause instanceof HttpStatusCodeException answered && isDownstreamStatus(answered.getStatusCode())) {
				// The routes' statusCodes: the service answered 502, 503 or 504.
				return true;
			}
			if (cause instanceof ResponseStatusException raised && isDownstreamStatus(raised.getStatusCode())) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

	private static boolean isDownstreamStatus(HttpStatusCode statusCode) {
		int status = statusCode.value();
		return status == 502 || status == 503 || status == 504;
	}

}

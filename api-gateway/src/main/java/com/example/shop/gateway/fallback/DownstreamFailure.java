package com.example.shop.gateway.fallback;

import java.io.IOException;
import java.net.ConnectException;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;

import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.server.ResponseStatusException;

/**
 * What went wrong with a call to a downstream service, told apart by the exception the circuit breaker
 * saw, and the status, title and detail the client is answered with.
 *
 * @param status answered to the client
 * @param title problem title
 * @param detail problem detail, naming the service
 */
record DownstreamFailure(HttpStatus status, String title, String detail) {

	static final String UNAVAILABLE = "Service unavailable";

	static final String TIMEOUT = "Gateway timeout";

	static final String BAD_GATEWAY = "Bad gateway";

	/**
	 * Looks through the whole cause chain, because the retry filter wraps the last failure of a retried
	 * call and the gateway wraps its response timeout in a 504 {@link ResponseStatusException}.
	 */
	static DownstreamFailure of(Throwable failure, String service) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof CallNotPermittedException) {
				return new DownstreamFailure(HttpStatus.SERVICE_UNAVAILABLE, UNAVAILABLE,
						service + " is failing, so the gateway stopped calling it for a moment (circuit breaker "
								+ "open). Try again shortly.");
			}
			if (cause instanceof NotFoundException) {
				return new DownstreamFailure(HttpStatus.SERVICE_UNAVAILABLE, UNAVAILABLE,
						"No instance of " + service + " is available");
			}
			if (isTimeout(cause)) {
				return new DownstreamFailure(HttpStatus.GATEWAY_TIMEOUT, TIMEOUT,
						service + " did not answer in time");
			}
			if (cause instanceof ConnectException) {
				// Also netty's connect timeout, a subclass.
				return new DownstreamFailure(HttpStatus.BAD_GATEWAY, BAD_GATEWAY, service + " could not be reached");
			}
			if (cause instanceof HttpStatusCodeException failedStatus) {
				// The breaker's statusCodes: the service answered 502, 503 or 504.
				return ofStatus(failedStatus.getStatusCode(), service);
			}
		}
		if (failure instanceof IOException) {
			return new DownstreamFailure(HttpStatus.BAD_GATEWAY, BAD_GATEWAY,
					"The connection to " + service + " failed");
		}
		return new DownstreamFailure(HttpStatus.BAD_GATEWAY, BAD_GATEWAY,
				"The call to " + service + " failed");
	}

	private static DownstreamFailure ofStatus(HttpStatusCode status, String service) {
		String detail = service + " answered " + status.value();
		if (status.value() == HttpStatus.SERVICE_UNAVAILABLE.value()) {
			return new DownstreamFailure(HttpStatus.SERVICE_UNAVAILABLE, UNAVAILABLE, detail);
		}
		if (status.value() == HttpStatus.GATEWAY_TIMEOUT.value()) {
			return new DownstreamFailure(HttpStatus.GATEWAY_TIMEOUT, TIMEOUT, detail);
		}
		return new DownstreamFailure(HttpStatus.BAD_GATEWAY, BAD_GATEWAY, detail);
	}

	private static boolean isTimeout(Throwable cause) {
		return cause instanceof java.util.concurrent.TimeoutException // the breaker's time limiter
				|| cause instanceof org.springframework.cloud.gateway.support.TimeoutException // route timeout
				|| cause instanceof ResponseStatusException statusError
						&& statusError.getStatusCode().value() == HttpStatus.GATEWAY_TIMEOUT.value();
	}

}

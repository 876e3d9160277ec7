package com.example.shop.gateway.ratelimit;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ratelimit.RateLimiter;
import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;

import com.example.shop.gateway.problem.GatewayProblemException;
import com.example.shop.gateway.problem.GatewayProblems;

/**
 * Every routed request takes a token from its caller's bucket ({@link CallerKey}) for its operation
 * ({@link LimitedOperation}); a caller whose bucket is empty gets 429 problem+json with {@code Retry-After}, without
 * the request reaching a service, its breaker or its retries. So one client, however fast, spends only its own
 * budget: it cannot trip a breaker or fill a service's thread pool for everyone.
 * <p>
 * Every answer carries the bucket's state, as the IETF's {@code RateLimit-Policy} and {@code RateLimit} fields (in
 * requests and seconds) and as Spring Cloud Gateway's {@code X-RateLimit-Remaining}, {@code -Replenish-Rate},
 * {@code -Burst-Capacity}, {@code -Requested-Tokens} (in tokens), so that a client can pace itself. When Redis cannot be asked
 * (down, slow, or its breaker open) the request goes through unlimited and is counted in
 * {@code gateway.ratelimit.unavailable}: losing the limits for a while is better than losing the shop.
 */
public class RateLimitFilter implements GlobalFilter, Ordered {

	private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);

	/** What {@link RedisRateLimiter} answers as the remaining tokens when it could not ask Redis. */
	private static final String UNKNOWN_REMAINING = "-1";

	private final RateLimiter<?> limiter;

	private final RateLimitSettings settings;

	private final CircuitBreaker store;

	private final MeterRegistry meters;

	RateLimitFilter(RateLimiter<?> limiter, RateLimitSettings settings, CircuitBreaker store, MeterRegistry meters) {
		this.limiter = limiter;
		this.settings = settings;
		this.store = store;
		this.meters = meters;
		store.getEventPublisher()
			.onStateTransition(event -> log.warn("Rate limit store (Redis) {}: requests {}", event.getStateTransition(),
					event.getStateTransition().getToState() == CircuitBreaker.State.CLOSED ? "are limited again"
							: "go through without limits until it answers again"));
	}

	@Override
	public int getOrder() {
		// Right after the request size check, before every route filter: a refused request costs no retry, no
		// breaker call and no body buffering.
		return Ordered.HIGHEST_PRECEDENCE + 1;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		LimitedOperation operation = LimitedOperation.of(exchange.getRequest());
		if (!store.tryAcquirePermission()) {
			unavailable(operation);
			return chain.filter(exchange);
		}
		long started = System.nanoTime();
		return CallerKey.of(exchange, settings.forwardingClients())
			.flatMap(caller -> limiter.isAllowed(operation.policyName(), settings.keyPrefix() + caller))
			.doOnCancel(store::releasePermission)
			// Anything else that keeps the limiter from answering counts as the store being unavailable (below).
			.onErrorReturn(new RateLimiter.Response(true, Map.of(RedisRateLimiter.REMAINING_HEADER, UNKNOWN_REMAINING)))
			.flatMap(answer -> {
				if (UNKNOWN_REMAINING.equals(answer.getHeaders().get(RedisRateLimiter.REMAINING_HEADER))) {
					store.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, new RateLimitStoreUnavailable());
					unavailable(operation);
					return chain.filter(exchange);
				}
				store.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS);
				if (answer.isAllowed()) {
					exchange.getResponse().getHeaders().setAll(answer.getHeaders());
					exchange.getResponse().getHeaders().setAll(standardHeaders(operation, answer.getHeaders(), null));
					return chain.filter(exchange);
				}
				meters.counter("gateway.requests.throttled", "policy", operation.policyName()).increment();
				return Mono.error(tooManyRequests(operation, answer.getHeaders()));
			});
	}

	private GatewayProblemException tooManyRequests(LimitedOperation operation, Map<String, String> bucket) {
		RateLimitSettings.Policy policy = operation.policy(settings);
		HttpHeaders headers = new HttpHeaders();
		headers.setAll(bucket);
		long retryAfter = secondsUntilAllowed(policy, bucket);
		headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
		headers.setAll(standardHeaders(operation, bucket, retryAfter));
		String detail = "More than %s requests a second (bursts of %d) of the policy '%s' from one client; try again "
			.formatted(rate(policy), policy.burst(), operation.policyName()) + "after the Retry-After seconds";
		return new GatewayProblemException(HttpStatus.TOO_MANY_REQUESTS, "Too many requests", detail,
				GatewayProblems.type("too-many-requests"), headers);
	}

	/**
	 * The IETF's RateLimit fields (draft-ietf-httpapi-ratelimit-headers) for the bucket, in requests: the policy
	 * ({@code q} requests in a window of {@code w} seconds, the time an empty bucket takes to fill) and what is left
	 * ({@code r} requests, {@code t} seconds until the bucket is full again, or until the next request when refused).
	 */
	Map<String, String> standardHeaders(LimitedOperation operation, Map<String, String> bucket, Long retryAfter) {
		RateLimitSettings.Policy policy = operation.policy(settings);
		long tokensLeft = remaining(bucket);
		long window = ceilDiv(policy.burstCapacity(), policy.replenishRate());
		long untilReset = (retryAfter != null) ? retryAfter
				: ceilDiv(policy.burstCapacity() - tokensLeft, policy.replenishRate());
		String name = "\"" + operation.policyName() + "\"";
		return Map.of("RateLimit-Policy", name + ";q=" + policy.burst() + ";w=" + window, "RateLimit",
				name + ";r=" + (tokensLeft / policy.requestedTokens()) + ";t=" + untilReset);
	}

	private static long remaining(Map<String, String> bucket) {
		try {
			return Math.max(0, Long.parseLong(bucket.getOrDefault(RedisRateLimiter.REMAINING_HEADER, "0")));
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	private static long ceilDiv(long dividend, long divisor) {
		return Math.max(0, (dividend + divisor - 1) / divisor);
	}

	/** Until the bucket holds one request's tokens again: what it lacks, at the rate it refills, at least 1 s. */
	static long secondsUntilAllowed(RateLimitSettings.Policy policy, Map<String, String> bucket) {
		long missing = Math.max(0, policy.requestedTokens() - remaining(bucket));
		return Math.max(1, ceilDiv(missing, policy.replenishRate()));
	}

	private static String rate(RateLimitSettings.Policy policy) {
		double perSecond = policy.requestsPerSecond();
		return (perSecond == Math.rint(perSecond)) ? Long.toString((long) perSecond) : Double.toString(perSecond);
	}

	private void unavailable(LimitedOperation operation) {
		meters.counter("gateway.ratelimit.unavailable", "policy", operation.policyName()).increment();
	}

	/** Recorded by the store's breaker when Redis could not be asked (the limiter itself only logs it). */
	static final class RateLimitStoreUnavailable extends RuntimeException {

		RateLimitStoreUnavailable() {
			super("the rate limiter could not reach Redis", null, false, false);
		}

	}

}

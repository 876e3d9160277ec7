package com.example.shop.gateway.ratelimit;

import java.time.Duration;
import java.util.List;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
import org.springframework.cloud.gateway.support.ConfigurationService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The rate limiter: Spring Cloud Gateway's {@link RedisRateLimiter} (a token bucket per key, updated atomically by
 * one Lua script in Redis, so all gateway replicas share the buckets), with one configuration per
 * {@link LimitedOperation}, applied by {@link RateLimitFilter}. Only when {@code shop.gateway.rate-limits.enabled}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "shop.gateway.rate-limits.enabled", matchIfMissing = true)
class RateLimitConfiguration {

	/** The circuit breaker around Redis; its state is in the resilience4j metrics under this name. */
	static final String STORE_BREAKER = "rate-limit-store";

	@Bean
	RedisRateLimiter rateLimiter(ReactiveStringRedisTemplate redis,
			@Qualifier(RedisRateLimiter.REDIS_SCRIPT_NAME) RedisScript<List<Long>> tokenBucketScript,
			ConfigurationService configurationService, RateLimitSettings settings) {
		RedisRateLimiter limiter = new RedisRateLimiter(redis, tokenBucketScript, configurationService);
		for (LimitedOperation operation : LimitedOperation.values()) {
			RateLimitSettings.Policy policy = operation.policy(settings);
			limiter.getConfig()
				.put(operation.policyName(),
						new RedisRateLimiter.Config().setReplenishRate(policy.replenishRate())
							.setBurstCapacity(policy.burstCapacity())
							.setRequestedTokens(policy.requestedTokens()));
		}
		return limiter;
	}

	@Bean
	RateLimitFilter rateLimitFilter(RedisRateLimiter rateLimiter, RateLimitSettings settings,
			CircuitBreakerRegistry breakers, MeterRegistry meters) {
		// Redis down or slow must cost the gateway nothing but the limits (fail open, counted): after 5 of the last
		// 10 checks failed (each bounded by spring.data.redis.timeout), stop asking for 10 s, then try 3 again.
		CircuitBreaker store = breakers.circuitBreaker(STORE_BREAKER,
				CircuitBreakerConfig.custom()
					.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
					.slidingWindowSize(10)
					.minimumNumberOfCalls(5)
					.failureRateThreshold(50)
					.waitDurationInOpenState(Duration.ofSeconds(10))
					.permittedNumberOfCallsInHalfOpenState(3)
					.build());
		return new RateLimitFilter(rateLimiter, settings, store, meters);
	}

}

package com.example.shop.gateway.ratelimit;

import java.util.Objects;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How fast one caller may call the gateway, from {@code shop.gateway.rate-limits.*} (the values and the reasons for
 * them are in application.yml). Each policy is a token bucket per caller, kept in Redis so that every gateway replica
 * counts the same calls.
 *
 * @param enabled whether the gateway limits at all (off in the gateway's own tests that are about something else)
 * @param keyPrefix put before every bucket's key in Redis, so that two platforms (or two test runs) sharing one Redis
 * do not share buckets
 * @param api every request to the API that is not an order placement
 * @param checkout {@code POST /api/orders}, which starts a saga: reserves stock and charges a card
 * @param forwardingClients the clients whose service accounts may name the anonymous visitor they call for
 * ({@link CallerKey}): the storefront
 */
@ConfigurationProperties("shop.gateway.rate-limits")
public record RateLimitSettings(@DefaultValue("true") boolean enabled, @DefaultValue("") String keyPrefix,
		Policy api, Policy checkout, @DefaultValue Set<String> forwardingClients) {

	public RateLimitSettings {
		Objects.requireNonNull(api, "shop.gateway.rate-limits.api must be set");
		Objects.requireNonNull(checkout, "shop.gateway.rate-limits.checkout must be set");
	}

	/**
	 * A token bucket: it holds at most {@code burstCapacity} tokens, gains {@code replenishRate} a second, and each
	 * request takes {@code requestedTokens}. So a caller may send {@code burstCapacity / requestedTokens} requests at
	 * once, then {@code replenishRate / requestedTokens} a second. (Spring Cloud Gateway's Redis bucket counts whole
	 * tokens a second; a rate below one request a second is a request costing several tokens.)
	 */
	public record Policy(int replenishRate, int burstCapacity, @DefaultValue("1") int requestedTokens) {

		public Policy {
			if (replenishRate < 1 || burstCapacity < requestedTokens || requestedTokens < 1) {
				throw new IllegalArgumentException("A rate limit needs replenish-rate >= 1, requested-tokens >= 1 and "
						+ "burst-capacity >= requested-tokens: " + replenishRate + ", " + requestedTokens + ", "
						+ burstCapacity);
			}
		}

		/** Requests a second this policy sustains. */
		public double requestsPerSecond() {
			return (double) replenishRate / requestedTokens;
		}

		/** Requests this policy lets through at once, from a full bucket. */
		public int burst() {
			return burstCapacity / requestedTokens;
		}

	}

}

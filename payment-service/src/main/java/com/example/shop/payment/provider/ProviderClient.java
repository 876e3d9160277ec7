package com.example.shop.payment.provider;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Calls the {@link PaymentProvider} with a deadline ({@code shop.payment.provider.timeout}) that holds
 * whatever the provider does: the call runs on a virtual thread and the caller stops waiting at the
 * deadline, interrupting it. A provider that does not answer in time, or fails, is
 * {@link ProviderUnavailable}, never an exception and never a thread blocked for good.
 * <p>
 * Every call first takes a permit of the Resilience4j rate limiter {@value #RATE_LIMITER}
 * ({@code resilience4j.ratelimiter.instances.payment-provider}): never faster than the provider's documented rate,
 * so a burst of orders is spread out instead of being refused by the provider (or getting the merchant account
 * blocked). A call that gets no permit within the limiter's wait is {@link ProviderUnavailable#rateLimited()}, the
 * provider not asked.
 * <p>
 * Retries are the caller's business (the saga's redelivery, with backoff), not this class's: only the
 * caller knows whether it still wants the answer.
 */
@Component
public class ProviderClient implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(ProviderClient.class);

	private final PaymentProvider provider;

	private final Duration timeout;

	static final String RATE_LIMITER = "payment-provider";

	private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();

	private final RateLimiter rateLimiter;

	private final Clock clock;

	@Autowired
	ProviderClient(PaymentProvider provider, ProviderProperties properties, RateLimiterRegistry rateLimiters,
			Clock clock) {
		this(provider, properties, rateLimiters.rateLimiter(RATE_LIMITER), clock);
	}

	ProviderClient(PaymentProvider provider, ProviderProperties properties, RateLimiter rateLimiter, Clock clock) {
		this.provider = provider;
		this.timeout = properties.timeout();
		this.rateLimiter = rateLimiter;
		this.clock = clock;
	}

	public AuthorizationResponse authorize(String idempotencyKey, BigDecimal amount, String currency, String token) {
		return call("authorize", idempotencyKey,
				deadline -> this.provider.authorize(idempotencyKey, amount, currency, token, deadline),
				unavailable -> unavailable);
	}

	public StepResponse capture(String authorizationKey) {
		return call("capture", authorizationKey, deadline -> this.provider.capture(authorizationKey, deadline),
				unavailable -> unavailable);
	}

	public StepResponse voidAuthorization(String authorizationKey) {
		return call("void", authorizationKey, deadline -> this.provider.voidAuthorization(authorizationKey, deadline),
				unavailable -> unavailable);
	}

	public StepResponse refund(String authorizationKey) {
		return call("refund", authorizationKey, deadline -> this.provider.refund(authorizationKey, deadline),
				unavailable -> unavailable);
	}

	private <T> T call(String operation, String key, Function<Instant, T> request,
			Function<ProviderUnavailable, T> unavailable) {
		if (!this.rateLimiter.acquirePermission()) {
			log.warn("Payment provider call {} {} held back: more than the provider's rate", operation, key);
			return unavailable.apply(ProviderUnavailable.rateLimited());
		}
		Instant deadline = this.clock.instant().plus(this.timeout);
		Future<T> answer = this.calls.submit(() -> request.apply(deadline));
		try {
			return answer.get(this.timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			answer.cancel(true);
			log.warn("Payment provider did not answer {} {} within {}", operation, key, this.timeout);
			return unavailable.apply(ProviderUnavailable.timeout());
		}
		catch (ExecutionException ex) {
			log.warn("Payment provider call {} {} failed", operation, key, ex.getCause());
			return unavailable.apply(ProviderUnavailable.error());
		}
		catch (InterruptedException ex) {
			// Shutting down: give up on the answer; the payment stays as it was and a retry finds out.
			answer.cancel(true);
			Thread.currentThread().interrupt();
			return unavailable.apply(ProviderUnavailable.error());
		}
	}

	/** Lets in-flight calls end; each ends by its deadline at the latest. */
	@Override
	public void destroy() {
		this.calls.close();
	}

}

package com.example.shop.payment.provider;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client's deadline holds even against a provider that ignores the deadline it is given, a failing provider
 * is an answer ({@link ProviderUnavailable}), not an exception, and calls beyond the provider's rate are held back
 * without reaching it.
 */
class ProviderClientTests {

	static final Duration TIMEOUT = Duration.ofMillis(300);

	/** The deadlines are measured against real waiting: the system's time. */
	static final Clock CLOCK = Clock.systemUTC();

	/** As many permits as a test could use. */
	static final RateLimiter UNLIMITED = RateLimiter.of("unlimited",
			RateLimiterConfig.custom().limitForPeriod(1_000_000).limitRefreshPeriod(Duration.ofSeconds(1)).build());

	@Test
	void aProviderThatNeverAnswersIsUnavailableAtTheDeadlineAndItsThreadIsLetGo() throws Exception {
		CountDownLatch interrupted = new CountDownLatch(1);
		ProviderClient client = new ProviderClient(new UnansweringProvider(interrupted), new ProviderProperties(TIMEOUT), UNLIMITED, CLOCK);
		try {
			long start = System.nanoTime();
			AuthorizationResponse response = client.authorize("key-1", BigDecimal.TEN, "EUR", "tok_ok");
			Duration took = Duration.ofNanos(System.nanoTime() - start);

			assertThat(response).isEqualTo(ProviderUnavailable.timeout());
			assertThat(took).isGreaterThanOrEqualTo(TIMEOUT.minusMillis(20)).isLessThan(TIMEOUT.plusSeconds(1));
			assertThat(interrupted.await(5, TimeUnit.SECONDS)).as("provider call interrupted").isTrue();
			assertThat(client.capture("key-1")).isEqualTo(ProviderUnavailable.timeout());
		}
		finally {
			client.destroy();
		}
	}

	@Test
	void aFailingProviderIsUnavailable() {
		ProviderClient client = new ProviderClient(new FailingProvider(), new ProviderProperties(TIMEOUT), UNLIMITED, CLOCK);
		try {
			assertThat(client.authorize("key-1", BigDecimal.TEN, "EUR", "tok_ok")).isEqualTo(ProviderUnavailable.error());
			assertThat(client.voidAuthorization("key-1")).isEqualTo(ProviderUnavailable.error());
			assertThat(client.refund("key-1")).isEqualTo(ProviderUnavailable.error());
		}
		finally {
			client.destroy();
		}
	}

	@Test
	void callsBeyondTheProvidersRateAreHeldBackWithoutReachingIt() {
		CountingProvider provider = new CountingProvider();
		// Three calls in a period that lasts the whole test, and no waiting for the next one.
		RateLimiter threeAMinute = RateLimiter.of("payment-provider", RateLimiterConfig.custom()
			.limitForPeriod(3)
			.limitRefreshPeriod(Duration.ofMinutes(1))
			.timeoutDuration(Duration.ZERO)
			.build());
		ProviderClient client = new ProviderClient(provider, new ProviderProperties(TIMEOUT), threeAMinute, CLOCK);
		try {
			assertThat(client.authorize("key-1", BigDecimal.TEN, "EUR", "tok_ok"))
				.isInstanceOf(AuthorizationResponse.Approved.class);
			assertThat(client.capture("key-1")).isEqualTo(StepResponse.COMPLETED);
			assertThat(client.authorize("key-2", BigDecimal.TEN, "EUR", "tok_ok"))
				.isInstanceOf(AuthorizationResponse.Approved.class);

			assertThat(client.authorize("key-3", BigDecimal.TEN, "EUR", "tok_ok"))
				.isEqualTo(ProviderUnavailable.rateLimited());
			assertThat(client.refund("key-1")).isEqualTo(ProviderUnavailable.rateLimited());
			assertThat(provider.calls).as("the provider was asked only within the rate").hasValue(3);
		}
		finally {
			client.destroy();
		}
	}

	/** Answers every call at once, and counts them. */
	private static final class CountingProvider implements PaymentProvider {

		final AtomicInteger calls = new AtomicInteger();

		@Override
		public AuthorizationResponse authorize(String key, BigDecimal amount, String currency, String token,
				Instant deadline) {
			this.calls.incrementAndGet();
			return new AuthorizationResponse.Approved("auth-" + key);
		}

		@Override
		public StepResponse capture(String key, Instant deadline) {
			this.calls.incrementAndGet();
			return StepResponse.COMPLETED;
		}

		@Override
		public StepResponse voidAuthorization(String key, Instant deadline) {
			this.calls.incrementAndGet();
			return StepResponse.COMPLETED;
		}

		@Override
		public StepResponse refund(String key, Instant deadline) {
			this.calls.incrementAndGet();
			return StepResponse.COMPLETED;
		}

	}

	/** Ignores its deadline and blocks until interrupted, like a remote call without a read timeout. */
	private record UnansweringProvider(CountDownLatch interrupted) implements PaymentProvider {

		@Override
		public AuthorizationResponse authorize(String key, BigDecimal amount, String currency, String token,
				Instant deadline) {
			block();
			return new AuthorizationResponse.Approved("too-late");
		}

		@Override
		public StepResponse capture(String key, Instant deadline) {
			block();
			return StepResponse.COMPLETED;
		}

		@Override
		public StepResponse voidAuthorization(String key, Instant deadline) {
			block();
			return StepResponse.COMPLETED;
		}

		@Override
		public StepResponse refund(String key, Instant deadline) {
			block();
			return StepResponse.COMPLETED;
		}

		private void block() {
			try {
				new CountDownLatch(1).await();
			}
			catch (InterruptedException ex) {
				this.interrupted.countDown();
				Thread.currentThread().interrupt();
			}
		}

	}

	/** Throws like a client whose connection was refused. */
	private static final class FailingProvider implements PaymentProvider {

		@Override
		public AuthorizationResponse authorize(String key, BigDecimal amount, String currency, String token,
				Instant deadline) {
			throw new IllegalStateException("connection refused");
		}

		@Override
		public StepResponse capture(String key, Instant deadline) {
			throw new IllegalStateException("connection refused");
		}

		@Override
		public StepResponse voidAuthorization(String key, Instant deadline) {
			throw new IllegalStateException("connection refused");
		}

		@Override
		public StepResponse refund(String key, Instant deadline) {
			throw new IllegalStateException("connection refused");
		}

	}

}

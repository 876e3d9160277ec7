package com.example.shop.payment.provider;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client's deadline holds even against a provider that ignores the deadline it is given, and a
 * failing provider is an answer ({@link ProviderUnavailable}), not an exception.
 */
class ProviderClientTests {

	static final Duration TIMEOUT = Duration.ofMillis(300);

	@Test
	void aProviderThatNeverAnswersIsUnavailableAtTheDeadlineAndItsThreadIsLetGo() throws Exception {
		CountDownLatch interrupted = new CountDownLatch(1);
		ProviderClient client = new ProviderClient(new UnansweringProvider(interrupted), new ProviderProperties(TIMEOUT));
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
		ProviderClient client = new ProviderClient(new FailingProvider(), new ProviderProperties(TIMEOUT));
		try {
			assertThat(client.authorize("key-1", BigDecimal.TEN, "EUR", "tok_ok")).isEqualTo(ProviderUnavailable.error());
			assertThat(client.voidAuthorization("key-1")).isEqualTo(ProviderUnavailable.error());
			assertThat(client.refund("key-1")).isEqualTo(ProviderUnavailable.error());
		}
		finally {
			client.destroy();
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

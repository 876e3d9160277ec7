package com.example.shop.gateway;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What checking a token adds to a request, measured, not asserted (timings depend on the machine): the same
 * route to a downstream that answers at once, called anonymously and with a valid token, interleaved so both see
 * the same machine state, and the decoder alone (signature and claims, the keys cached). Prints the percentiles;
 * docs/gateway.md quotes a run.
 */
@GatewayTest
class TokenCheckLatencyTests {

	private static final int WARM_UP = 300;

	private static final int MEASURED = 1000;

	private static final RecordingDownstream downstream = RecordingDownstream.start();

	@DynamicPropertySource
	static void registerDownstreamAndIssuer(DynamicPropertyRegistry registry) {
		for (String service : List.of("product-service", "order-service")) {
			registry.add("spring.cloud.discovery.client.simple.instances." + service + "[0].uri", downstream::uri);
		}
		Tokens.trustTestIssuer(registry);
	}

	@AfterAll
	static void stopDownstream() {
		downstream.close();
	}

	@LocalServerPort
	int port;

	@Autowired
	ReactiveJwtDecoder decoder;

	@Test
	void measuresWhatTheTokenCheckAdds() {
		GatewayClient anonymous = new GatewayClient(port);
		String token = Tokens.customer();
		GatewayClient customer = anonymous.as(token);
		List<Case> cases = List.of(new Case("GET /api/products/p-1, anonymous", () -> anonymous.get("/api/products/p-1")),
				new Case("GET /api/products/p-1, valid token", () -> customer.get("/api/products/p-1")),
				new Case("GET /api/orders/o-1, valid token (required)", () -> customer.get("/api/orders/o-1")));

		// The context's first token: the key set is fetched, the JWT classes loaded and compiled.
		long firstStart = System.nanoTime();
		assertThat(customer.get("/api/orders/o-1").statusCode()).isEqualTo(200);
		long first = System.nanoTime() - firstStart;
		for (int i = 0; i < WARM_UP; i++) {
			cases.forEach(Case::call);
			decoder.decode(token).block(Duration.ofSeconds(5));
		}
		downstream.reset();
		for (int i = 0; i < MEASURED; i++) {
			cases.forEach(Case::measure);
		}
		long[] decodes = new long[MEASURED];
		for (int i = 0; i < MEASURED; i++) {
			long start = System.nanoTime();
			decoder.decode(token).block(Duration.ofSeconds(5));
			decodes[i] = System.nanoTime() - start;
		}

		StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
				"%nToken check latency, %d requests each (after %d to warm up), one client, sequential:%n", MEASURED,
				WARM_UP));
		for (Case each : cases) {
			report.append(line(each.name, each.nanos()));
		}
		report.append(line("ReactiveJwtDecoder.decode alone (RS256 + claims, keys cached)", decodes));
		report.append(String.format(Locale.ROOT, "  %-62s %7.3f ms%n",
				"first token of the context (key set fetched, classes cold)", first / 1_000_000.0));
		System.out.println(report);

		assertThat(downstream.received()).hasSize(MEASURED * cases.size());
	}

	private static String line(String name, long[] nanos) {
		long[] sorted = nanos.clone();
		Arrays.sort(sorted);
		return String.format(Locale.ROOT, "  %-62s p50 %7.3f ms   p90 %7.3f ms   p99 %7.3f ms%n", name,
				percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99));
	}

	private static double percentile(long[] sorted, int percent) {
		int index = Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1);
		return sorted[index] / 1_000_000.0;
	}

	private static final class Case {

		private final String name;

		private final Supplier<HttpResponse<String>> request;

		private final List<Long> nanos = new ArrayList<>();

		Case(String name, Supplier<HttpResponse<String>> request) {
			this.name = name;
			this.request = request;
		}

		void call() {
			assertThat(request.get().statusCode()).isEqualTo(200);
		}

		void measure() {
			long start = System.nanoTime();
			HttpResponse<String> response = request.get();
			nanos.add(System.nanoTime() - start);
			assertThat(response.statusCode()).isEqualTo(200);
		}

		long[] nanos() {
			return nanos.stream().mapToLong(Long::longValue).toArray();
		}

	}

}

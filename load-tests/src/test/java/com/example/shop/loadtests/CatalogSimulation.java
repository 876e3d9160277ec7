package com.example.shop.loadtests;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * The browsing mix of an anonymous visitor: a page of the catalog (random page and sort), a search, a category,
 * and one product's detail, by {@code users} visitors at once, each starting again as soon as it is done (a closed
 * model: with 1 it measures latency, with many it saturates the target and measures throughput), for
 * {@code seconds}, against {@code baseUrl}: the gateway, or product-service straight ({@code ./platform bench}
 * runs both, side by side, to show what the gateway adds). Gatling's summary gives requests a second and the
 * percentiles.
 */
public class CatalogSimulation extends Simulation {

	static final int USERS = Integer.getInteger("users", 32);

	static final int SECONDS = Integer.getInteger("seconds", 30);

	static final String BASE_URL = System.getProperty("baseUrl", Bench.GATEWAY);

	/** The seeded catalog's ids (product-service's demo data: 48 products). */
	static final List<String> SEEDED = java.util.stream.IntStream.rangeClosed(1, 48)
		.mapToObj(i -> "00000000-0000-4000-8000-%012d".formatted(i))
		.toList();

	static final List<String> SORTS = List.of("name,asc", "price,asc", "price,desc", "createdAt,desc");

	static final List<String> WORDS = List.of("java", "book", "data", "design", "spring", "kafka");

	static final List<String> CATEGORIES = List.of("books", "electronics", "kitchen", "outdoor", "toys", "apparel");

	Iterator<Map<String, Object>> visits = Stream.generate(() -> {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return Map.<String, Object>of("page", random.nextInt(3), "sort", SORTS.get(random.nextInt(SORTS.size())),
				"q", WORDS.get(random.nextInt(WORDS.size())),
				"category", CATEGORIES.get(random.nextInt(CATEGORIES.size())),
				"product", SEEDED.get(random.nextInt(SEEDED.size())));
	}).iterator();

	HttpProtocolBuilder target = http.baseUrl(BASE_URL).acceptHeader("application/json");

	ScenarioBuilder browse = scenario("browse the catalog").feed(this.visits)
		.exec(http("list").get("/api/products?page=#{page}&size=12&sort=#{sort}").check(status().is(200)))
		.exec(http("search").get("/api/products?q=#{q}&size=12").check(status().is(200)))
		.exec(http("category").get("/api/products?category=#{category}&size=12").check(status().is(200)))
		.exec(http("detail").get("/api/products/#{product}").check(status().is(200)));

	{
		setUp(this.browse.injectClosed(constantConcurrentUsers(USERS).during(SECONDS))).protocols(this.target)
			// Judged by ./platform bench from the summary; recorded here so the report shows it too.
			.assertions(global().failedRequests().count().is(0L));
	}

}

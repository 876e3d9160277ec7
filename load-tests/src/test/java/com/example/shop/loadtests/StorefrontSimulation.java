package com.example.shop.loadtests;

import java.util.Iterator;
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
 * The storefront's pages as an anonymous visitor browses them: the catalog (a random page and sort), a search, a
 * category and a product's page, rendered on the server (each page calls the API through the gateway itself). By
 * {@code users} visitors at once (closed model; with 1 it measures how long a page takes to render), for
 * {@code seconds}, against {@code baseUrl}: the gateway (http://127.0.0.1:8080, what a browser uses) or the storefront
 * straight (8086). Static files are not fetched: the browser caches them.
 */
public class StorefrontSimulation extends Simulation {

	static final int USERS = Integer.getInteger("users", 1);

	static final int SECONDS = Integer.getInteger("seconds", 20);

	static final String BASE_URL = System.getProperty("baseUrl", Bench.GATEWAY);

	Iterator<Map<String, Object>> visits = Stream.generate(() -> {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return Map.<String, Object>of("page", random.nextInt(3),
				"sort", CatalogSimulation.SORTS.get(random.nextInt(CatalogSimulation.SORTS.size())),
				"q", CatalogSimulation.WORDS.get(random.nextInt(CatalogSimulation.WORDS.size())),
				"category", CatalogSimulation.CATEGORIES.get(random.nextInt(CatalogSimulation.CATEGORIES.size())),
				"product", CatalogSimulation.SEEDED.get(random.nextInt(CatalogSimulation.SEEDED.size())));
	}).iterator();

	HttpProtocolBuilder target = http.baseUrl(BASE_URL).acceptHeader("text/html");

	ScenarioBuilder browse = scenario("browse the shop").feed(this.visits)
		.exec(http("catalog page").get("/?page=#{page}&sort=#{sort}").check(status().is(200)))
		.exec(http("search page").get("/?q=#{q}").check(status().is(200)))
		.exec(http("category page").get("/?category=#{category}").check(status().is(200)))
		.exec(http("product page").get("/products/#{product}").check(status().is(200)));

	{
		setUp(this.browse.injectClosed(constantConcurrentUsers(USERS).during(SECONDS))).protocols(this.target)
			.assertions(global().failedRequests().count().is(0L));
	}

}

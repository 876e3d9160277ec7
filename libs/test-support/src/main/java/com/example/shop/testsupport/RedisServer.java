package com.example.shop.testsupport;

import org.testcontainers.containers.GenericContainer;

/**
 * One Redis per test JVM. Redis has no cheap per-class namespace beyond key prefixes, so test classes
 * isolate themselves by the cache key prefix {@link UsesInfrastructure} sets.
 */
public final class RedisServer {

	private final String host;

	private final int port;

	private RedisServer(String host, int port) {
		this.host = host;
		this.port = port;
	}

	static RedisServer local() {
		return new RedisServer(PostgresServer.env("PLATFORM_TEST_REDIS_HOST", "127.0.0.1"),
				Integer.parseInt(PostgresServer.env("PLATFORM_TEST_REDIS_PORT", "6379")));
	}

	@SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM exits
	static RedisServer container() {
		GenericContainer<?> container = new GenericContainer<>("redis:7.4-alpine").withExposedPorts(6379);
		container.start();
		return new RedisServer(container.getHost(), container.getMappedPort(6379));
	}

	public String host() {
		return host;
	}

	public int port() {
		return port;
	}

}

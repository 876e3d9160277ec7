package com.example.shop.testsupport;

import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Where the test infrastructure comes from.
 * <p>
 * Chosen once per test JVM: {@code PLATFORM_TEST_INFRA=testcontainers|local|auto} (default {@code auto}:
 * Testcontainers when a Docker engine answers, the local services otherwise).
 */
public enum InfrastructureMode {

	/** One container per kind (PostgreSQL, Kafka, RabbitMQ, Redis), started on first use. */
	TESTCONTAINERS,

	/** PostgreSQL, RabbitMQ and Redis on localhost, and a real KRaft Kafka broker inside the test JVM. */
	LOCAL;

	public static final String OVERRIDE_VARIABLE = "PLATFORM_TEST_INFRA";

	/**
	 * @param override the value of {@value #OVERRIDE_VARIABLE}, or null
	 * @param dockerAvailable asked only when the choice is automatic, because probing Docker is slow
	 */
	static InfrastructureMode select(String override, BooleanSupplier dockerAvailable) {
		String choice = (override == null || override.isBlank()) ? "auto" : override.trim().toLowerCase(Locale.ROOT);
		switch (choice) {
			case "local":
				return LOCAL;
			case "testcontainers":
				if (!dockerAvailable.getAsBoolean()) {
					throw new IllegalStateException(OVERRIDE_VARIABLE + "=testcontainers but no Docker engine answers; "
							+ "start Docker or use " + OVERRIDE_VARIABLE + "=local");
				}
				return TESTCONTAINERS;
			case "auto":
				return dockerAvailable.getAsBoolean() ? TESTCONTAINERS : LOCAL;
			default:
				throw new IllegalArgumentException(
						OVERRIDE_VARIABLE + "=" + override + " is not one of: auto, testcontainers, local");
		}
	}

}

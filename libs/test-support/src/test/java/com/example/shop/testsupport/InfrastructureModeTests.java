package com.example.shop.testsupport;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InfrastructureModeTests {

	private final AtomicInteger dockerProbes = new AtomicInteger();

	private BooleanSupplier docker(boolean answers) {
		return () -> {
			dockerProbes.incrementAndGet();
			return answers;
		};
	}

	@Test
	void automaticChoiceUsesTestcontainersWhenDockerAnswers() {
		assertThat(InfrastructureMode.select(null, docker(true))).isEqualTo(InfrastructureMode.TESTCONTAINERS);
		assertThat(InfrastructureMode.select("auto", docker(true))).isEqualTo(InfrastructureMode.TESTCONTAINERS);
	}

	@Test
	void automaticChoiceFallsBackToLocalServicesWithoutDocker() {
		assertThat(InfrastructureMode.select("", docker(false))).isEqualTo(InfrastructureMode.LOCAL);
		assertThat(InfrastructureMode.select(" AUTO ", docker(false))).isEqualTo(InfrastructureMode.LOCAL);
	}

	@Test
	void localOverrideWinsOverDockerAndDoesNotProbeIt() {
		assertThat(InfrastructureMode.select("local", docker(true))).isEqualTo(InfrastructureMode.LOCAL);
		assertThat(dockerProbes).hasValue(0);
	}

	@Test
	void testcontainersOverrideWithoutDockerFailsWithAClearMessage() {
		assertThatThrownBy(() -> InfrastructureMode.select("testcontainers", docker(false)))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("no Docker engine")
			.hasMessageContaining("PLATFORM_TEST_INFRA=local");
		assertThat(InfrastructureMode.select("Testcontainers", docker(true))).isEqualTo(InfrastructureMode.TESTCONTAINERS);
	}

	@Test
	void unknownOverrideIsRefusedNamingTheChoices() {
		assertThatThrownBy(() -> InfrastructureMode.select("docker", docker(true)))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("auto, testcontainers, local");
	}

}

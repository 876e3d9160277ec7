package com.example.shop.defaults;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The defaults as a service gets them: a real SpringApplication with this module's test application.yml as the
 * service's own configuration (src/test/resources), the library on its classpath and nothing else.
 */
class ServiceDefaultsTests {

	@Test
	void aServiceGetsEveryDefaultItDoesNotSetItself() {
		try (ConfigurableApplicationContext service = start(new StandardEnvironment())) {
			ConfigurableEnvironment environment = service.getEnvironment();
			assertThat(environment.getProperty("server.shutdown")).isEqualTo("graceful");
			assertThat(environment.getProperty("server.address")).isEqualTo("127.0.0.1");
			// Placeholders resolve against the service's own values.
			assertThat(environment.getProperty("management.metrics.tags.application")).isEqualTo("sample-service");
			assertThat(environment.getProperty("eureka.instance.instance-id")).isEqualTo("sample-service:localhost:8099");
			assertThat(environment.getProperty("logging.pattern.correlation"))
				.isEqualTo("[sample-service,%X{traceId:-},%X{spanId:-},%X{X-Request-Id:-}] ");
		}
	}

	@Test
	void theServicesOwnApplicationYmlOverridesADefault() {
		try (ConfigurableApplicationContext service = start(new StandardEnvironment())) {
			assertThat(service.getEnvironment().getProperty("management.endpoints.web.exposure.include"))
				.isEqualTo("health");
		}
	}

	@Test
	void aMapKeepsTheDefaultsEntriesNextToTheServicesOwn() {
		try (ConfigurableApplicationContext service = start(new StandardEnvironment())) {
			Map<String, String> slo = Binder.get(service.getEnvironment())
				.bind("management.metrics.distribution.slo", Bindable.mapOf(String.class, String.class))
				.get();
			assertThat(slo).containsEntry("sample.duration", "1s, 10s")
				.containsEntry("http.server.requests", "50ms, 100ms, 250ms, 500ms, 1s, 2s, 5s");
		}
	}

	@Test
	void environmentVariablesAndCommandLineArgumentsOverrideADefault() {
		StandardEnvironment environment = new StandardEnvironment();
		// What the process would get from its environment: a property by its relaxed name, and a placeholder's variable.
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
							Map.of("SERVER_SHUTDOWN", "immediate", "SERVER_ADDRESS", "0.0.0.0")));
		try (ConfigurableApplicationContext service = start(environment,
				"--logging.level.com.netflix.discovery=DEBUG")) {
			assertThat(service.getEnvironment().getProperty("server.shutdown")).isEqualTo("immediate");
			assertThat(service.getEnvironment().getProperty("server.address")).isEqualTo("0.0.0.0");
			assertThat(service.getEnvironment().getProperty("management.server.address")).isEqualTo("0.0.0.0");
			assertThat(service.getEnvironment().getProperty("logging.level.com.netflix.discovery")).isEqualTo("DEBUG");
		}
	}

	@Test
	void aProfilesVariantAppliesAboveTheSharedDefaultsAndBelowTheServicesProfileFile() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.setActiveProfiles("kubernetes", "json-logs");
		try (ConfigurableApplicationContext service = start(environment)) {
			ConfigurableEnvironment configured = service.getEnvironment();
			assertThat(configured.getProperty("eureka.client.enabled")).isEqualTo("false");
			assertThat(configured.getProperty("logging.structured.format.console")).isEqualTo("logstash");
			// service-defaults-kubernetes.yml says 0.0.0.0, the service's application-kubernetes.yml 10.1.2.3.
			assertThat(configured.getProperty("server.address")).isEqualTo("10.1.2.3");
		}
	}

	@Test
	void withoutTheProfileNoVariantApplies() {
		try (ConfigurableApplicationContext service = start(new StandardEnvironment())) {
			assertThat(service.getEnvironment().getProperty("eureka.client.enabled")).isNull();
			assertThat(service.getEnvironment().getProperty("logging.structured.format.console")).isNull();
		}
	}

	@Test
	void theDefaultsAreTheLowestSourcesButForDefaultPropertiesSetInCode() {
		SpringApplication application = application(new StandardEnvironment());
		application.setDefaultProperties(Map.of("server.shutdown", "immediate"));
		try (ConfigurableApplicationContext service = application.run()) {
			List<String> names = service.getEnvironment().getPropertySources().stream().map(PropertySource::getName).toList();
			assertThat(names).containsSubsequence("Config resource 'class path resource [application.yml]' via location 'optional:classpath:/'",
					"Service defaults 'classpath:shop/service-defaults.yml'", "defaultProperties");
			assertThat(service.getEnvironment().getProperty("server.shutdown")).isEqualTo("graceful");
		}
	}

	private static ConfigurableApplicationContext start(ConfigurableEnvironment environment, String... args) {
		return application(environment).run(args);
	}

	private static SpringApplication application(ConfigurableEnvironment environment) {
		SpringApplication application = new SpringApplication(SampleService.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setEnvironment(environment);
		return application;
	}

	@Configuration(proxyBeanMethods = false)
	static class SampleService {

	}

}

package com.example.shop.defaults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * Adds the configuration every service shares ({@code shop/service-defaults.yml}, and
 * {@code shop/service-defaults-<profile>.yml} for each active profile that has one) below everything of the
 * service itself: its {@code application*.yml}, imported files, environment variables, system properties and
 * command-line arguments all override any default. Only Spring Boot's {@code defaultProperties}, set in code, stay
 * below.
 * <p>
 * Not {@code spring.config.import}: an imported file takes precedence over the file that imports it, so a service
 * could not override a default in its own {@code application.yml}.
 * <p>
 * The variants rank as a service's own profile files do: above the shared file, the last active profile highest.
 * They are still below the service's {@code application.yml}, so a key a variant sets (the kubernetes profile's
 * {@code server.address}) must not be set by a service's {@code application.yml} too, or the variant never applies.
 */
public class ServiceDefaults implements EnvironmentPostProcessor, Ordered {

	/** The shared file's name; its property source in {@code /actuator/env} is named after it. */
	static final String SHARED = "shop/service-defaults.yml";

	/**
	 * Right after Boot has read the service's own configuration: the active profiles (which variants apply) are known
	 * then, the service's files are already in place above the defaults, and every later post-processor and the
	 * logging system see the defaults.
	 */
	static final int ORDER = ConfigDataEnvironmentPostProcessor.ORDER + 1;

	private final YamlPropertySourceLoader yaml = new YamlPropertySourceLoader();

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		MutablePropertySources sources = environment.getPropertySources();
		if (sources.contains(sourceName(SHARED))) {
			return;
		}
		List<PropertySource<?>> highestFirst = new ArrayList<>();
		for (String profile : List.of(environment.getActiveProfiles()).reversed()) {
			ClassPathResource variant = new ClassPathResource("shop/service-defaults-" + profile + ".yml",
					application.getClassLoader());
			if (variant.exists()) {
				highestFirst.addAll(load(variant));
			}
		}
		highestFirst.addAll(load(new ClassPathResource(SHARED, application.getClassLoader())));
		for (PropertySource<?> defaults : highestFirst) {
			if (sources.contains(DefaultPropertiesPropertySource.NAME)) {
				sources.addBefore(DefaultPropertiesPropertySource.NAME, defaults);
			}
			else {
				sources.addLast(defaults);
			}
		}
	}

	private List<PropertySource<?>> load(ClassPathResource resource) {
		try {
			return this.yaml.load(sourceName(resource.getPath()), resource);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the service defaults " + resource.getDescription(), ex);
		}
	}

	private static String sourceName(String path) {
		return "Service defaults 'classpath:" + path + "'";
	}

}

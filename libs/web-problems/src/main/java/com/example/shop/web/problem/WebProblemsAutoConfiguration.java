package com.example.shop.web.problem;

import org.apache.catalina.startup.Tomcat;
import tools.jackson.databind.module.SimpleModule;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Adding this library is all a Spring MVC service does to answer errors as problem+json. Runs before
 * Boot's MVC auto-configuration so Boot's own (opt-in) problem-details handler backs off.
 * <p>
 * Besides the exception handler it sets up the edge: a filter that refuses what no endpoint can handle before
 * anything reads it, Tomcat's own rejections as problem+json, and JSON strings without control characters.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class WebProblemsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean // a service may subclass it to refine a mapping
	ProblemDetailsHandler problemDetailsHandler() {
		return new ProblemDetailsHandler();
	}

	/**
	 * First of all filters (Boot's character-encoding filter shares the order but reads nothing), so that no
	 * filter of a service, of tracing or of security reads a parameter Tomcat cannot decode. Only on the
	 * request itself: an error or async dispatch has been checked already.
	 */
	@Bean
	FilterRegistrationBean<EdgeRequestFilter> edgeRequestFilter() {
		FilterRegistrationBean<EdgeRequestFilter> registration = new FilterRegistrationBean<>(new EdgeRequestFilter());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		registration.addUrlPatterns("/*");
		return registration;
	}

	@Bean
	JsonMapperBuilderCustomizer rejectControlCharactersInJsonStrings() {
		return builder -> builder.addModule(new SimpleModule("web-problems-control-characters")
			.addDeserializer(String.class, new ControlCharacterRejectingStringDeserializer()));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Tomcat.class, TomcatServletWebServerFactory.class })
	static class TomcatConfiguration {

		@Bean
		ProblemReportValveCustomizer problemReportValveCustomizer() {
			return new ProblemReportValveCustomizer();
		}

	}

}

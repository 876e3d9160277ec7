package com.example.shop.web.problem;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * Adding this library is all a Spring MVC service does to answer errors as problem+json. Runs before
 * Boot's MVC auto-configuration so Boot's own (opt-in) problem-details handler backs off.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class WebProblemsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean // a service may subclass it to refine a mapping
	ProblemDetailsHandler problemDetailsHandler() {
		return new ProblemDetailsHandler();
	}

}

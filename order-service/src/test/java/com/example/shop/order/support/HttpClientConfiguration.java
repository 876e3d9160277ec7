package com.example.shop.order.support;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The tests' HTTP client, on the JDK's HttpClient. Boot would pick Apache HttpClient (on the classpath
 * through Eureka), which repeats a request answered 503 by itself and would hide what the service answered.
 */
@TestConfiguration(proxyBeanMethods = false)
public class HttpClientConfiguration {

	/** Lazy: made when a test asks for it, once the server listens on its random port. */
	@Bean
	@Lazy
	RestTestClient restTestClient(Environment environment) {
		return RestTestClient.bindToServer(new JdkClientHttpRequestFactory())
			.baseUrl("http://127.0.0.1:" + environment.getRequiredProperty("local.server.port"))
			.build();
	}

}

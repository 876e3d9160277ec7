package com.example.shop.order;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OrdersConfiguration {

	/** UTC wall clock: timestamps in the database and the API are UTC (docs/api.md). */
	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}

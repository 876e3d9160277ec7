package com.example.shop.order.saga;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.example.shop.order.SagaTimeouts;

/** The saga table, with this deployment's timeouts. */
@Configuration(proxyBeanMethods = false)
class OrderSagaConfiguration {

	@Bean
	OrderSaga orderSaga(SagaTimeouts timeouts) {
		return OrderSaga.of(timeouts);
	}

}

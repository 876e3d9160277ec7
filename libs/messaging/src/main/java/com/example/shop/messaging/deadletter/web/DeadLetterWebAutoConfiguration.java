package com.example.shop.messaging.deadletter.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.RestController;

import com.example.shop.messaging.deadletter.DeadLetterAutoConfiguration;
import com.example.shop.messaging.deadletter.DeadLetters;
import com.example.shop.web.problem.ProblemException;

/**
 * The admin API of dead letters ({@link DeadLetterController}), in a servlet web application that has the
 * store and libs/web-problems (its errors are problem+json).
 */
@AutoConfiguration(after = DeadLetterAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ RestController.class, ProblemException.class })
@ConditionalOnBean(DeadLetters.class)
public class DeadLetterWebAutoConfiguration {

	@Bean
	DeadLetterController deadLetterController(DeadLetters deadLetters) {
		return new DeadLetterController(deadLetters);
	}

}

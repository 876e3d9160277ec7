package com.example.shop.web.problem.sample;

import jakarta.validation.constraints.Max;

import org.springframework.stereotype.Component;
import org.springframework.validation.annotation.Validated;

/** Method validation on a plain bean: violations surface as {@code ConstraintViolationException}. */
@Component
@Validated
public class WidgetLimits {

	public void check(@Max(10) int count) {
	}

}

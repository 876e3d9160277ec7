package com.example.shop.inventory.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.math.BigDecimal;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/** A number without a fractional part: 3 and 3.0 are, 3.5 is not. Null is valid. */
@Documented
@Constraint(validatedBy = WholeNumber.Validator.class)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT })
@Retention(RetentionPolicy.RUNTIME)
@interface WholeNumber {

	String message() default "must be a whole number";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	class Validator implements ConstraintValidator<WholeNumber, BigDecimal> {

		@Override
		public boolean isValid(BigDecimal value, ConstraintValidatorContext context) {
			return value == null || value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
		}

	}

}

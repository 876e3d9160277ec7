package com.example.shop.web.problem;

import java.util.List;

import org.springframework.http.HttpStatus;

/**
 * 400 for input that bean validation cannot judge alone (e.g. {@code minPrice > maxPrice}, an unknown sort
 * field): the same {@code validation} problem, with the {@code errors} array naming the fields.
 */
public class InvalidRequestException extends ProblemException {

	public InvalidRequestException(String detail, List<InvalidField> errors) {
		super(HttpStatus.BAD_REQUEST, ProblemTypes.VALIDATION, "Invalid request", detail, errors, null);
	}

}

package com.example.shop.web.problem;

import org.springframework.http.HttpStatus;

/** 404: the addressed resource does not exist. */
public class NotFoundException extends ProblemException {

	public NotFoundException(String detail) {
		super(HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "Not Found", detail);
	}

}

package com.example.shop.web.problem;

import org.springframework.http.HttpStatus;

/** 422: the request is well-formed and valid, but refers to something that makes it impossible to act on. */
public class UnprocessableException extends ProblemException {

	public UnprocessableException(String detail) {
		super(HttpStatus.UNPROCESSABLE_CONTENT, ProblemTypes.UNPROCESSABLE, "Unprocessable Content", detail);
	}

}

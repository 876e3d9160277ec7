package com.example.shop.web.problem;

import org.springframework.http.HttpStatus;

/** 409: the request clashes with the current state (a duplicate key, a concurrent change). */
public class ConflictException extends ProblemException {

	public ConflictException(String detail) {
		super(HttpStatus.CONFLICT, ProblemTypes.CONFLICT, "Conflict", detail);
	}

	public ConflictException(String detail, Throwable cause) {
		super(HttpStatus.CONFLICT, ProblemTypes.CONFLICT, "Conflict", detail, cause);
	}

}

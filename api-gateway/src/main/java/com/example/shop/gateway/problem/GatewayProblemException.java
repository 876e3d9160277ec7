package com.example.shop.gateway.problem;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * A request the gateway refuses itself, with the title and detail its problem+json answer carries.
 */
public class GatewayProblemException extends ResponseStatusException {

	private final String title;

	private final String detail;

	public GatewayProblemException(HttpStatus status, String title, String detail) {
		super(status, detail);
		this.title = title;
		this.detail = detail;
	}

	public String getTitle() {
		return title;
	}

	public String getDetail() {
		return detail;
	}

}

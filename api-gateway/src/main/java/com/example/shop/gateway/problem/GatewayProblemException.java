package com.example.shop.gateway.problem;

import java.net.URI;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * A request the gateway refuses itself, with the title and detail its problem+json answer carries, and
 * optionally a more specific problem type than the status's (the services' {@code invalid-encoding} for
 * example) and headers the answer must carry ({@code Allow} on a 405).
 */
public class GatewayProblemException extends ResponseStatusException {

	private final String title;

	private final String detail;

	private final @Nullable URI type;

	private final HttpHeaders headers;

	public GatewayProblemException(HttpStatus status, String title, String detail) {
		this(status, title, detail, null, HttpHeaders.EMPTY);
	}

	public GatewayProblemException(HttpStatus status, String title, String detail, @Nullable URI type,
			HttpHeaders headers) {
		super(status, detail);
		this.title = title;
		this.detail = detail;
		this.type = type;
		this.headers = HttpHeaders.readOnlyHttpHeaders(headers);
	}

	public String getTitle() {
		return title;
	}

	public String getDetail() {
		return detail;
	}

	/** The problem type, or null for the one of the status ({@link GatewayProblems#typeFor}). */
	public @Nullable URI getType() {
		return type;
	}

	@Override
	public HttpHeaders getHeaders() {
		return headers;
	}

}

package com.example.shop.web.problem;

import java.net.URI;
import java.util.List;

import org.springframework.http.HttpStatus;

/**
 * What application code throws when a request cannot be served for a reason the client should know.
 * The handler turns it into a problem+json with this status, type, title and detail; the detail is
 * shown to the client as is, so it must never carry internals (SQL, stack traces, hostnames).
 * Use the subclasses for the common cases.
 */
public class ProblemException extends RuntimeException {

	private final HttpStatus status;

	private final URI type;

	private final String title;

	private final List<InvalidField> errors;

	public ProblemException(HttpStatus status, URI type, String title, String detail) {
		this(status, type, title, detail, null);
	}

	public ProblemException(HttpStatus status, URI type, String title, String detail, Throwable cause) {
		this(status, type, title, detail, List.of(), cause);
	}

	protected ProblemException(HttpStatus status, URI type, String title, String detail, List<InvalidField> errors,
			Throwable cause) {
		super(detail, cause);
		this.status = status;
		this.type = type;
		this.title = title;
		this.errors = List.copyOf(errors);
	}

	public ProblemException(HttpStatus status, String detail) {
		this(status, ProblemTypes.forStatus(status), status.getReasonPhrase(), detail);
	}

	public HttpStatus getStatus() {
		return this.status;
	}

	public URI getType() {
		return this.type;
	}

	public String getTitle() {
		return this.title;
	}

	public String getDetail() {
		return getMessage();
	}

	/** The {@code errors} array of the problem; empty for problems that are not about input fields. */
	public List<InvalidField> getErrors() {
		return this.errors;
	}

}

package com.example.shop.storefront.shop;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The gateway refused what was asked with a 4xx problem+json (docs/api.md "Errors"): what the shopper or the admin
 * sent, or is allowed, was not right. Never counted against the gateway's circuit breaker.
 */
public class ShopProblem extends RuntimeException {

	private final int status;

	private final String title;

	private final String detail;

	private final List<Map<String, Object>> errors;

	private final Duration retryAfter;

	public ShopProblem(int status, String title, String detail, List<Map<String, Object>> errors,
			Duration retryAfter) {
		super(status + " " + title + ": " + detail);
		this.status = status;
		this.title = title;
		this.detail = detail;
		this.errors = (errors != null) ? errors : List.of();
		this.retryAfter = retryAfter;
	}

	public int status() {
		return status;
	}

	public String title() {
		return title;
	}

	public String detail() {
		return detail;
	}

	public List<Map<String, Object>> errors() {
		return errors;
	}

	/** How long a throttled (429) caller should wait, when the gateway said. */
	public Duration retryAfter() {
		return retryAfter;
	}

}

package com.example.shop.gateway.ratelimit;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;

/** Which of the policies in {@link RateLimitSettings} a request counts against. */
enum LimitedOperation {

	/** Placing an order: each one starts a saga (stock reserved, a card charged), so it has a budget of its own. */
	CHECKOUT("checkout"),

	/** Everything else the gateway routes: reads, cancellations, admin calls, the WebSocket upgrade. */
	API("api");

	private final String policyName;

	LimitedOperation(String policyName) {
		this.policyName = policyName;
	}

	/** The policy's name in configuration, metrics, the bucket's Redis key and the problem's detail. */
	String policyName() {
		return policyName;
	}

	RateLimitSettings.Policy policy(RateLimitSettings settings) {
		return (this == CHECKOUT) ? settings.checkout() : settings.api();
	}

	static LimitedOperation of(ServerHttpRequest request) {
		boolean placesAnOrder = HttpMethod.POST.equals(request.getMethod())
				&& "/api/orders".equals(request.getPath().pathWithinApplication().value());
		return placesAnOrder ? CHECKOUT : API;
	}

}

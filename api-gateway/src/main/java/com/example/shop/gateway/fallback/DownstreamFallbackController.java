package com.example.shop.gateway.fallback;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import com.example.shop.gateway.problem.GatewayProblems;

/**
 * Where a route's circuit breaker sends a request whose downstream call failed or was not even tried
 * (breaker open): answers {@code application/problem+json} saying which service failed and how.
 * <ul>
 * <li>503 when the breaker is open, no instance is registered, or the service answered 503;</li>
 * <li>504 when the service did not answer within the route's timeout (or answered 504);</li>
 * <li>502 when it could not be reached, answered 502, or failed in another way.</li>
 * </ul>
 * A service's 500 never comes here: the routes' {@code statusCodes} leave it out, so the client gets the
 * service's own answer, and the breaker does not count it (see {@link DownstreamFault}).
 * Routes name it as {@code fallbackUri: forward:/fallback/<service-id>}. Called directly, without a
 * failure to report, it answers 404 like any unknown path.
 */
@RestController
class DownstreamFallbackController {

	private static final Logger log = LoggerFactory.getLogger(DownstreamFallbackController.class);

	@RequestMapping("/fallback/{service}")
	ResponseEntity<ProblemDetail> fallback(@PathVariable String service, ServerWebExchange exchange) {
		Throwable failure = exchange.getAttribute(ServerWebExchangeUtils.CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR);
		if (failure == null) {
			ProblemDetail notFound = GatewayProblems.create(HttpStatus.NOT_FOUND, "Not found",
					"No route for " + exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath(),
					exchange);
			return problem(notFound);
		}
		DownstreamFailure answer = DownstreamFailure.of(failure, service);
		ProblemDetail problem = GatewayProblems.create(answer.status(), answer.title(), answer.detail(), exchange);
		log.warn("{} {} answered {}: {} ({})", exchange.getRequest().getMethod(), problem.getInstance(),
				answer.status().value(), answer.detail(), failure.toString());
		return problem(problem);
	}

	private static ResponseEntity<ProblemDetail> problem(ProblemDetail problem) {
		return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

}

package com.example.shop.order.api;

import java.net.URI;
import java.util.List;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;

import com.example.shop.order.OrderNotCancellableException;
import com.example.shop.order.OrderNotFoundException;
import com.example.shop.order.OrderRefusedException;
import com.example.shop.web.problem.ConflictException;
import com.example.shop.web.problem.InvalidField;
import com.example.shop.web.problem.NotFoundException;
import com.example.shop.web.problem.ProblemDetailsHandler;
import com.example.shop.web.problem.ProblemException;
import com.example.shop.web.problem.ProblemTypes;
import com.example.shop.web.problem.UnprocessableException;

/**
 * The core's refusals as the problems docs/api.md promises, for this package's controllers. The order core throws
 * its own exceptions (it knows no HTTP); each becomes the libs/web-problems problem of its status, type and title,
 * answered by the library's {@link ProblemDetailsHandler}, so the body and the logging are the library's. Ordered
 * before the library's handler, which catches every exception.
 */
@RestControllerAdvice(basePackageClasses = OrderProblems.class)
@Order(Ordered.LOWEST_PRECEDENCE - 1)
class OrderProblems {

	private final ProblemDetailsHandler problems;

	OrderProblems(ProblemDetailsHandler problems) {
		this.problems = problems;
	}

	@ExceptionHandler
	ResponseEntity<Object> notFound(OrderNotFoundException ex, WebRequest request) {
		return this.problems.handleProblem(new NotFoundException(ex.getMessage()), request);
	}

	@ExceptionHandler
	ResponseEntity<Object> notCancellable(OrderNotCancellableException ex, WebRequest request) {
		return this.problems.handleProblem(new ConflictException(ex.getMessage(), ex), request);
	}

	@ExceptionHandler
	ResponseEntity<Object> refused(OrderRefusedException ex, WebRequest request) {
		return this.problems.handleProblem(problemOf(ex), request);
	}

	static ProblemException problemOf(OrderRefusedException ex) {
		List<InvalidField> errors = ex.fields().stream().map((f) -> new InvalidField(f.field(), f.message())).toList();
		return switch (ex.reason()) {
			case UNKNOWN_PRODUCTS -> new OrderProblem(HttpStatus.UNPROCESSABLE_CONTENT, ProblemTypes.UNPROCESSABLE,
					"Unknown products", ex, errors);
			case MIXED_CURRENCIES -> new OrderProblem(HttpStatus.UNPROCESSABLE_CONTENT, ProblemTypes.UNPROCESSABLE,
					"Mixed currencies", ex, errors);
			case TOTAL_TOO_LARGE -> new OrderProblem(HttpStatus.UNPROCESSABLE_CONTENT, ProblemTypes.UNPROCESSABLE,
					"Order total too large", ex, errors);
			case INSUFFICIENT_STOCK ->
				new OrderProblem(HttpStatus.CONFLICT, ProblemTypes.CONFLICT, "Insufficient stock", ex, errors);
			// 503: nothing is wrong with the request, and asking again shortly may succeed.
			case CATALOG_UNAVAILABLE -> new OrderProblem(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.SERVICE_UNAVAILABLE,
					"Service Unavailable", ex, errors);
			case KEY_IN_FLIGHT -> new ConflictException(ex.getMessage(), ex);
			case KEY_REUSED -> new UnprocessableException(ex.getMessage());
		};
	}

	/** A problem with the offending lines in its {@code errors}. */
	private static final class OrderProblem extends ProblemException {

		OrderProblem(HttpStatus status, URI type, String title, OrderRefusedException refused, List<InvalidField> errors) {
			super(status, type, title, refused.getMessage(), errors, refused);
		}

	}

}

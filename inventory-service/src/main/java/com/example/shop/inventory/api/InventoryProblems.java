package com.example.shop.inventory.api;

import com.example.shop.inventory.catalog.CatalogUnavailableException;
import com.example.shop.inventory.stock.OnHandBelowReservedException;
import com.example.shop.inventory.stock.ProductNotInCatalogException;
import com.example.shop.web.problem.ConflictException;
import com.example.shop.web.problem.NotFoundException;
import com.example.shop.web.problem.ProblemDetailsHandler;
import com.example.shop.web.problem.ProblemException;
import com.example.shop.web.problem.ProblemTypes;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;

/**
 * The core's refusals as the problems docs/api.md promises, for this package's controllers. The core throws its own
 * exceptions (it knows no HTTP); each is turned into the libs/web-problems problem of the same status, type, title and
 * detail, and answered by the library's {@link ProblemDetailsHandler}, so the body and the logging are the library's.
 * Ordered before the library's handler, which catches every exception.
 */
@RestControllerAdvice(basePackageClasses = InventoryProblems.class)
@Order(Ordered.LOWEST_PRECEDENCE - 1)
class InventoryProblems {

	private final ProblemDetailsHandler problems;

	InventoryProblems(ProblemDetailsHandler problems) {
		this.problems = problems;
	}

	@ExceptionHandler
	ResponseEntity<Object> notInCatalog(ProductNotInCatalogException ex, WebRequest request) {
		return this.problems.handleProblem(new NotFoundException(ex.getMessage()), request);
	}

	@ExceptionHandler
	ResponseEntity<Object> belowReserved(OnHandBelowReservedException ex, WebRequest request) {
		return this.problems.handleProblem(new ConflictException(ex.getMessage(), ex), request);
	}

	/** 503: a dependency is down, nothing is wrong with the request, and asking again later may succeed. */
	@ExceptionHandler
	ResponseEntity<Object> catalogUnavailable(CatalogUnavailableException ex, WebRequest request) {
		return this.problems.handleProblem(new ProblemException(HttpStatus.SERVICE_UNAVAILABLE,
				ProblemTypes.SERVICE_UNAVAILABLE, "Service unavailable", "The catalog cannot confirm right now that product "
						+ ex.productId() + " exists, so no stock was created; try again shortly",
				ex), request);
	}

}

package com.example.shop.product.api;

import com.example.shop.product.catalog.DuplicateSkuException;
import com.example.shop.product.catalog.StaleProductVersionException;
import com.example.shop.product.catalog.UnknownProductException;
import com.example.shop.web.problem.ConflictException;
import com.example.shop.web.problem.NotFoundException;
import com.example.shop.web.problem.ProblemDetailsHandler;
import com.example.shop.web.problem.ProblemException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;

/**
 * The catalog's refusals as the problems docs/api.md promises, for this package's controllers. The catalog throws
 * its own exceptions (it knows no HTTP); each is turned into the libs/web-problems problem of the same status, type,
 * title and detail, and answered by the library's {@link ProblemDetailsHandler}, so the body and the logging are the
 * library's. Ordered before the library's handler, which catches every exception.
 */
@RestControllerAdvice(basePackageClasses = CatalogProblems.class)
@Order(Ordered.LOWEST_PRECEDENCE - 1)
class CatalogProblems {

	private final ProblemDetailsHandler problems;

	CatalogProblems(ProblemDetailsHandler problems) {
		this.problems = problems;
	}

	@ExceptionHandler
	ResponseEntity<Object> unknownProduct(UnknownProductException ex, WebRequest request) {
		return this.problems.handleProblem(new NotFoundException(ex.getMessage()), request);
	}

	@ExceptionHandler
	ResponseEntity<Object> duplicateSku(DuplicateSkuException ex, WebRequest request) {
		return this.problems.handleProblem(new ConflictException(ex.getMessage(), ex), request);
	}

	/** 412, as for an If-Match that names no version: the client's precondition does not hold. */
	@ExceptionHandler
	ResponseEntity<Object> staleVersion(StaleProductVersionException ex, WebRequest request) {
		return this.problems.handleProblem(new ProblemException(HttpStatus.PRECONDITION_FAILED, ex.getMessage()),
				request);
	}

}

package com.example.shop.order.orders;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

import com.example.shop.web.problem.InvalidField;
import com.example.shop.web.problem.ProblemException;
import com.example.shop.web.problem.ProblemTypes;

import org.springframework.http.HttpStatus;

/**
 * Why an order cannot be placed, as problem+json (libs/web-problems): the {@code errors} array names the
 * offending lines by their index in the request ({@code items[2].productId}).
 */
public class OrderProblem extends ProblemException {

	private OrderProblem(HttpStatus status, java.net.URI type, String title, String detail, List<InvalidField> errors) {
		super(status, type, title, detail, errors, null);
	}

	/** 422: products the catalog does not know. */
	static OrderProblem unknownProducts(Set<java.util.UUID> unknown, List<InvalidField> errors) {
		return new OrderProblem(HttpStatus.UNPROCESSABLE_CONTENT, ProblemTypes.UNPROCESSABLE, "Unknown products",
				"No such product(s) in the catalog: " + unknown.stream().map(Object::toString).sorted().toList(), errors);
	}

	/** 422: the catalog prices the lines in different currencies; an order has one. */
	static OrderProblem mixedCurrencies(Set<String> currencies, List<InvalidField> errors) {
		return new OrderProblem(HttpStatus.UNPROCESSABLE_CONTENT, ProblemTypes.UNPROCESSABLE, "Mixed currencies",
				"The products are priced in different currencies " + currencies.stream().sorted().toList()
						+ "; place one order per currency",
				errors);
	}

	/** 422: more than an order total can hold. */
	static OrderProblem totalTooLarge(BigDecimal total) {
		return new OrderProblem(HttpStatus.UNPROCESSABLE_CONTENT, ProblemTypes.UNPROCESSABLE, "Order total too large",
				"The order total " + total + " exceeds the maximum of " + Money.MAX_AMOUNT, List.of());
	}

	/** 409: inventory says these lines ask for more than is available now. */
	static OrderProblem insufficientStock(List<InvalidField> errors) {
		return new OrderProblem(HttpStatus.CONFLICT, ProblemTypes.CONFLICT, "Insufficient stock",
				errors.size() + " line(s) ask for more than is in stock: " + errors.stream().map(InvalidField::field).toList(),
				errors);
	}

	/** 503: the catalog cannot be asked right now, so the order cannot be priced. Nothing was stored. */
	static OrderProblem catalogUnavailable() {
		return new OrderProblem(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.SERVICE_UNAVAILABLE, "Service Unavailable",
				"The product catalog is unavailable, so the order cannot be priced; nothing was stored. Try again "
						+ "shortly (with the same Idempotency-Key)",
				List.of());
	}

}

package com.example.shop.inventory.catalog;

import java.util.UUID;

import com.example.shop.web.problem.ProblemException;
import com.example.shop.web.problem.ProblemTypes;

import org.springframework.http.HttpStatus;

/**
 * product-service could not say whether a product exists. 503: a dependency of this service is down, nothing
 * is wrong with the request, and asking again later may succeed.
 */
public class CatalogUnavailableException extends ProblemException {

	public CatalogUnavailableException(UUID productId, String why, Throwable cause) {
		super(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.SERVICE_UNAVAILABLE, "Service unavailable",
				"The catalog cannot confirm right now that product " + productId
						+ " exists, so no stock was created; try again shortly",
				new IllegalStateException("product-service: " + why, cause));
	}

}

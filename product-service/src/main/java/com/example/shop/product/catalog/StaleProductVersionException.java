package com.example.shop.product.catalog;

import java.util.UUID;

/**
 * An update named the version of the product its client last read, and the product has changed since: applying it
 * would silently overwrite someone else's change.
 */
public class StaleProductVersionException extends RuntimeException {

	public StaleProductVersionException(UUID id, long expectedVersion) {
		super("Product " + id + " was changed by someone else since version " + expectedVersion + "; read it again");
	}

}

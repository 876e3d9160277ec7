package com.example.shop.product.api;

import java.math.BigDecimal;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.example.shop.product.catalog.ProductDetails;

/**
 * Body of POST and PUT /api/products. Unknown properties (such as an echoed {@code id} or
 * {@code createdAt}) are ignored, so a client can PUT back what it read.
 *
 * @param description optional, empty when absent
 * @param available optional, true when absent
 */
public record ProductRequest(
		@NotBlank @Size(max = 40) @Pattern(regexp = "[A-Z0-9][A-Z0-9-]*",
				message = "must be upper-case letters, digits and '-'") String sku,
		@NotBlank @Size(max = 200) String name,
		@Size(max = 2000) String description,
		@NotBlank @Size(max = 50) @Pattern(regexp = "[a-z][a-z0-9-]*",
				message = "must be lower-case letters, digits and '-'") String category,
		// Below a million: a sanity limit that catches a misplaced decimal point; NUMERIC(12,2) holds more.
		@NotNull @DecimalMin("0.00") @DecimalMax("999999.99") @Digits(integer = 6, fraction = 2) BigDecimal price,
		@NotNull @CurrencyCode String currency,
		Boolean available) {

	ProductDetails toDetails() {
		return new ProductDetails(this.sku, this.name.strip(), (this.description != null) ? this.description.strip() : "",
				this.category, this.price.setScale(2), this.currency, (this.available == null) || this.available);
	}

}

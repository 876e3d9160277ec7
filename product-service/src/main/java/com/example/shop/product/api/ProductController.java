package com.example.shop.product.api;

import java.math.BigDecimal;
import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;

import com.example.shop.product.catalog.Product;
import com.example.shop.product.catalog.ProductCatalog;
import com.example.shop.product.catalog.ProductPage;
import com.example.shop.product.catalog.ProductSearch;
import com.example.shop.product.catalog.ProductSort;
import com.example.shop.product.catalog.UnknownProductException;
import com.example.shop.web.problem.InvalidField;
import com.example.shop.web.problem.InvalidRequestException;
import com.example.shop.web.problem.ProblemException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The catalog over HTTP (docs/api.md "Products"). Bad input of any kind answers a problem+json 4xx
 * (libs/web-problems); the catalog's refusals are mapped to problems by {@link CatalogProblems}. Responses carry {@code ETag: "<version>"}; a PUT with {@code If-Match} only applies
 * to that version (412 otherwise), so two clients editing the same product cannot silently overwrite each
 * other.
 */
@RestController
@RequestMapping("/api/products")
@Tag(name = "Products", description = "The catalog: anybody reads it, an admin changes it")
class ProductController {

	private final ProductCatalog catalog;

	ProductController(ProductCatalog catalog) {
		this.catalog = catalog;
	}

	@Operation(operationId = "searchProducts", summary = "Search the catalog, a page at a time")
	@SecurityRequirements
	@GetMapping
	PageResponse<ProductResponse> search(
			@Parameter(description = "Matches name, description or SKU, case-insensitive and literal")
			@RequestParam(required = false) @Size(max = 100) String q,
			@RequestParam(required = false) @Size(max = 50) String category,
			@RequestParam(required = false) @DecimalMin("0.00") BigDecimal minPrice,
			@RequestParam(required = false) @DecimalMin("0.00") BigDecimal maxPrice,
			@RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(100) int size,
			@Parameter(description = "field[,asc|desc][,field[,asc|desc]]... of name, price, createdAt, category, sku; "
					+ "default name,asc") @RequestParam(required = false) String sort) {
		if (minPrice != null && maxPrice != null && minPrice.compareTo(maxPrice) > 0) {
			throw new InvalidRequestException("minPrice " + minPrice + " is greater than maxPrice " + maxPrice,
					List.of(new InvalidField("minPrice", "must not be greater than maxPrice")));
		}
		ProductSort order;
		try {
			order = ProductSort.parse(sort);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRequestException("Parameter 'sort' is invalid: " + ex.getMessage(),
					List.of(new InvalidField("sort", ex.getMessage())));
		}
		ProductPage result = this.catalog.search(new ProductSearch(q, category, minPrice, maxPrice), order, page, size);
		return new PageResponse<>(result.products().stream().map(ProductResponse::of).toList(),
				new PageResponse.PageMetadata(result.number(), result.size(), result.totalElements(),
						result.totalPages()));
	}

	@Operation(operationId = "getProduct", summary = "One product")
	@ApiResponse(responseCode = "200", description = "The product", headers = @Header(name = "ETag",
			description = "\"<version>\": send it back in If-Match to update this version only"))
	@ApiResponse(responseCode = "404", description = "No such product")
	@SecurityRequirements
	@GetMapping("/{id}")
	ResponseEntity<ProductResponse> get(@PathVariable UUID id) {
		Product product = this.catalog.find(id).orElseThrow(() -> new UnknownProductException(id));
		return withETag(ResponseEntity.ok(), product);
	}

	@Operation(operationId = "createProduct", summary = "Add a product (admin)")
	@ApiResponse(responseCode = "201", description = "Added", headers = {
			@Header(name = "Location", description = "/api/products/{id}"),
			@Header(name = "ETag", description = "\"<version>\"") })
	@ApiResponse(responseCode = "409", description = "A product with this SKU exists")
	@PostMapping
	ResponseEntity<ProductResponse> create(@Valid @RequestBody ProductRequest request) {
		Product product = this.catalog.create(request.toDetails());
		return withETag(ResponseEntity.created(URI.create("/api/products/" + product.id())), product);
	}

	@Operation(operationId = "updateProduct", summary = "Replace every field of a product (admin)")
	@ApiResponse(responseCode = "200", description = "Updated",
			headers = @Header(name = "ETag", description = "\"<version>\""))
	@ApiResponse(responseCode = "404", description = "No such product")
	@ApiResponse(responseCode = "409", description = "Another product has this SKU")
	@ApiResponse(responseCode = "412", description = "If-Match names another version than the product's")
	@PutMapping("/{id}")
	ResponseEntity<ProductResponse> update(@PathVariable UUID id, @Valid @RequestBody ProductRequest request,
			@Parameter(description = "\"<version>\", W/\"<version>\" or *: apply only to that version")
			@RequestHeader(name = "If-Match", required = false) String ifMatch) {
		Product product = this.catalog.update(id, request.toDetails(), expectedVersion(ifMatch));
		return withETag(ResponseEntity.ok(), product);
	}

	@Operation(operationId = "deleteProduct", summary = "Remove a product (admin)")
	@ApiResponse(responseCode = "204", description = "Removed")
	@ApiResponse(responseCode = "404", description = "No such product")
	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable UUID id) {
		this.catalog.delete(id);
		return ResponseEntity.noContent().build();
	}

	private static ResponseEntity<ProductResponse> withETag(ResponseEntity.BodyBuilder builder, Product product) {
		return builder.eTag(Long.toString(product.version())).body(ProductResponse.of(product));
	}

	/** {@code "3"} or {@code W/"3"} -> 3; {@code *} -> any version; anything else cannot match. */
	private static Long expectedVersion(String ifMatch) {
		if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
			return null;
		}
		String tag = ifMatch.strip();
		if (tag.startsWith("W/")) {
			tag = tag.substring(2);
		}
		if (tag.length() > 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
			try {
				return Long.parseLong(tag.substring(1, tag.length() - 1));
			}
			catch (NumberFormatException ex) {
				// falls through to the 412 below
			}
		}
		throw new ProblemException(HttpStatus.PRECONDITION_FAILED,
				"If-Match " + ifMatch + " does not name a version of this product; use the ETag of a GET");
	}

}

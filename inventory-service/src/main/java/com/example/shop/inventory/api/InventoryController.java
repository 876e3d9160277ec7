package com.example.shop.inventory.api;

import java.net.URI;
import java.util.UUID;

import jakarta.validation.Valid;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;

import com.example.shop.inventory.stock.StockLevels;
import com.example.shop.inventory.stock.StockLevels.OnHandUpdate;
import com.example.shop.web.problem.NotFoundException;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Stock over HTTP (docs/api.md "Inventory"). Bad input of any kind answers a problem+json 4xx
 * (libs/web-problems); the core's refusals are mapped to problems by {@link InventoryProblems}. Reservations are
 * not exposed here: they are driven by the order saga's commands.
 */
@RestController
@RequestMapping("/api/inventory")
@Tag(name = "Inventory", description = "Stock levels: anybody reads one product's, an admin sets the units on hand")
class InventoryController {

	private final StockLevels stock;

	InventoryController(StockLevels stock) {
		this.stock = stock;
	}

	@Operation(operationId = "getStock", summary = "One product's stock")
	@ApiResponse(responseCode = "200", description = "Its stock: available = onHand - reserved")
	@ApiResponse(responseCode = "404", description = "The product has no stock record")
	@SecurityRequirements
	@GetMapping("/{productId}")
	StockResponse get(@PathVariable UUID productId) {
		return this.stock.find(productId)
			.map(StockResponse::of)
			.orElseThrow(() -> new NotFoundException("Product " + productId + " has no stock record"));
	}

	/**
	 * Sets the units on hand (operators). 200 when the product had stock, 201 with Location when this
	 * created its stock record; 409 when fewer than are reserved for orders. A stock record is created only for
	 * a product the catalog has (404 otherwise, 503 when the catalog cannot say); a product that has stock
	 * needs no question to product-service, so changing its stock never depends on the catalog being up.
	 */
	@Operation(operationId = "setStock", summary = "Set the units on hand (admin)")
	@ApiResponse(responseCode = "200", description = "Set")
	@ApiResponse(responseCode = "201", description = "Set: this created the product's stock record",
			headers = @Header(name = "Location", description = "/api/inventory/{productId}"))
	@ApiResponse(responseCode = "404", description = "The catalog has no such product")
	@ApiResponse(responseCode = "409", description = "Fewer units than are reserved for orders")
	@ApiResponse(responseCode = "503", description = "The catalog cannot say right now whether the product exists")
	@PutMapping("/{productId}")
	ResponseEntity<StockResponse> put(@PathVariable UUID productId, @Valid @RequestBody OnHandRequest request) {
		OnHandUpdate update = this.stock.setOnHandOfCatalogProduct(productId, request.units());
		StockResponse body = StockResponse.of(update.stock());
		if (update.created()) {
			return ResponseEntity.created(URI.create("/api/inventory/" + productId)).body(body);
		}
		return ResponseEntity.ok(body);
	}

}

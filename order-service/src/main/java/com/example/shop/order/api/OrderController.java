package com.example.shop.order.api;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import com.example.shop.order.Order;
import com.example.shop.order.OrderPage;
import com.example.shop.order.OrderPlacement;
import com.example.shop.order.OrderPlacement.Placement;
import com.example.shop.order.OrderSearch;
import com.example.shop.order.OrderSort;
import com.example.shop.order.OrderStatus;
import com.example.shop.order.Orders;
import com.example.shop.security.Caller;
import com.example.shop.web.problem.InvalidField;
import com.example.shop.web.problem.InvalidRequestException;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Orders over HTTP (docs/api.md "Orders"). Bad input of any kind answers a problem+json 4xx
 * (libs/web-problems) and stores nothing. Every request carries a token ({@link OrderAccess} says whose and
 * which): the customer of an order is the token's subject, and a customer sees only their own orders.
 */
@RestController
@RequestMapping("/api/orders")
@Tag(name = "Orders", description = "A customer's orders (role customer or admin): the customer is the token's subject")
class OrderController {

	static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	static final int MAX_IDEMPOTENCY_KEY_LENGTH = 200;

	/** Visible ASCII: what an HTTP header carries safely and a log shows readably. */
	private static final Pattern IDEMPOTENCY_KEY_CHARACTERS = Pattern.compile("[\\x21-\\x7E]+");

	private static final Pattern UUID_PATTERN = Pattern.compile(PlaceOrderRequest.UUID_PATTERN);

	private static final Pattern EMAIL = Pattern.compile(PlaceOrderRequest.EMAIL_PATTERN);

	private final OrderPlacement placement;

	private final Orders orders;

	OrderController(OrderPlacement placement, Orders orders) {
		this.placement = placement;
		this.orders = orders;
	}

	/**
	 * 202 + Location for a new order (PENDING; the saga runs on) of the caller; 200 with the same order when the
	 * caller repeats the request with its Idempotency-Key. A {@code customerId} in the body must be the caller's
	 * own (403 otherwise, admins included); {@code customerEmail} defaults to the token's e-mail address.
	 */
	@Operation(operationId = "placeOrder", summary = "Place an order for the caller",
			description = "Prices come from the catalog, never from the client. Every refusal stores nothing.")
	@ApiResponse(responseCode = "202", description = "Accepted: the new order, PENDING; the saga goes on",
			headers = @Header(name = "Location", description = "/api/orders/{id}"))
	@ApiResponse(responseCode = "200", description = "A repeat with the same Idempotency-Key and body: the order it "
			+ "made, as it is now", headers = @Header(name = "Location", description = "/api/orders/{id}"))
	@ApiResponse(responseCode = "403", description = "customerId is not the caller's own, or the token's subject is "
			+ "no customer id")
	@ApiResponse(responseCode = "409", description = "Insufficient stock (errors names the lines), or a request with "
			+ "this Idempotency-Key is still being processed: retry shortly")
	@ApiResponse(responseCode = "413", description = "The body is over 64 KB")
	@ApiResponse(responseCode = "422", description = "Unknown products or mixed currencies (errors names the lines), "
			+ "a total over 9,999,999,999.99, or this Idempotency-Key reused with another body")
	@ApiResponse(responseCode = "503", description = "The catalog cannot be reached, so the order cannot be priced")
	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<OrderResponse> place(Caller caller,
			@Parameter(description = "Makes a retry safe: the same key and body answer the order the first request "
					+ "made (200), never a second order. Keys are the customer's and kept 24 h.",
					schema = @Schema(minLength = 1, maxLength = MAX_IDEMPOTENCY_KEY_LENGTH, pattern = "[\\x21-\\x7E]+"))
			@RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
			@Valid @RequestBody PlaceOrderRequest request) {
		checkIdempotencyKey(idempotencyKey);
		checkNoDuplicateProducts(request);
		UUID customer = OrderAccess.requireCustomerId(caller);
		if (request.customerId() != null && !UUID.fromString(request.customerId()).equals(customer)) {
			throw OrderAccess.forbidden("'customerId' must be your own customer id (your token's subject) or be "
					+ "left out; orders are placed for the caller only");
		}
		Placement placed = this.placement.place(request.toCommand(customer, email(request, caller)), idempotencyKey);
		URI location = URI.create("/api/orders/" + placed.order().id());
		HttpStatus status = placed.created() ? HttpStatus.ACCEPTED : HttpStatus.OK;
		return ResponseEntity.status(status).location(location).body(OrderResponse.of(placed.order()));
	}

	/** The order; 404 for an unknown id and, alike, for another customer's order. */
	@Operation(operationId = "getOrder", summary = "One order")
	@ApiResponse(responseCode = "200", description = "The order")
	@ApiResponse(responseCode = "404", description = "No such order, or another customer's (never 403)")
	@GetMapping("/{id}")
	OrderResponse get(Caller caller, @Parameter(schema = @Schema(format = "uuid")) @PathVariable String id) {
		UUID orderId = uuid("id", id);
		return OrderResponse.of(this.orders.find(orderId)
			.filter((order) -> OrderAccess.mayRead(caller, order))
			.orElseThrow(() -> Orders.notFound(orderId)));
	}

	/**
	 * The caller's orders. An admin lists every customer's, or one customer's with {@code customerId}; a customer
	 * naming another customer's id is refused (403): they asked for someone else's orders explicitly.
	 */
	@Operation(operationId = "listOrders", summary = "The caller's orders, a page at a time",
			description = "An admin gets every customer's, or one customer's with customerId.")
	@ApiResponse(responseCode = "200", description = "A page of orders")
	@ApiResponse(responseCode = "403", description = "customerId names another customer")
	@GetMapping
	PageResponse<OrderResponse> search(Caller caller,
			@Parameter(description = "Only this customer's: a customer may name only themselves",
					schema = @Schema(format = "uuid")) @RequestParam(required = false) String customerId,
			@Parameter(description = "Only orders in this status (any case)",
					schema = @Schema(implementation = OrderStatus.class)) @RequestParam(required = false) String status,
			@RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(100) int size,
			@Parameter(description = "field[,asc|desc][,field[,asc|desc]]... of createdAt, updatedAt, total, status; "
					+ "default createdAt,desc") @RequestParam(required = false) String sort) {
		UUID asked = (customerId == null || customerId.isBlank()) ? null : uuid("customerId", customerId);
		OrderStatus wanted = (status == null || status.isBlank()) ? null : status(status);
		OrderSort order;
		try {
			order = OrderSort.parse(sort);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRequestException("Parameter 'sort' is invalid: " + ex.getMessage(),
					List.of(new InvalidField("sort", ex.getMessage())));
		}
		UUID customer = caller.isAdmin() ? asked : ownOrders(caller, asked);
		OrderPage result = this.orders.search(new OrderSearch(customer, wanted), order, page, size);
		return new PageResponse<>(result.orders().stream().map(OrderResponse::of).toList(),
				new PageResponse.PageMetadata(result.number(), result.size(), result.totalElements(),
						result.totalPages()));
	}

	/**
	 * 202 while the order can still be cancelled (and again once it is being or was cancelled); 409 after. A
	 * customer cancels their own orders only (another's is 404, as an unknown id); an admin any.
	 */
	@Operation(operationId = "cancelOrder", summary = "Cancel an order, or refund a confirmed one",
			description = "The answer is the order right after the request, not its outcome: follow it with GET.")
	@ApiResponse(responseCode = "202", description = "Cancelling (COMPENSATING) or refunding (REFUNDING), or it "
			+ "already was being or has been cancelled")
	@ApiResponse(responseCode = "404", description = "No such order, or another customer's (never 403)")
	@ApiResponse(responseCode = "409", description = "It can no longer be cancelled: CONFIRMING, FAILED, or "
			+ "confirmed more than 14 days ago")
	@PostMapping("/{id}/cancel")
	ResponseEntity<OrderResponse> cancel(Caller caller,
			@Parameter(schema = @Schema(format = "uuid")) @PathVariable String id) {
		UUID orderId = uuid("id", id);
		// A caller without a customer id owns no order: whatever it names is unknown to it.
		UUID onlyOf = caller.isAdmin() ? null
				: OrderAccess.customerId(caller).orElseThrow(() -> Orders.notFound(orderId));
		Order order = this.orders.cancel(orderId, onlyOf);
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(OrderResponse.of(order));
	}

	/** The customer whose orders a customer lists: their own, whether or not they named themselves. */
	private static UUID ownOrders(Caller caller, UUID asked) {
		UUID own = OrderAccess.requireCustomerId(caller);
		if (asked != null && !asked.equals(own)) {
			throw OrderAccess
				.forbidden("'customerId' may only be your own customer id; leave it out to list your orders");
		}
		return own;
	}

	/** The body's address, else the token's; 400 when neither has one. */
	private static String email(PlaceOrderRequest request, Caller caller) {
		if (request.customerEmail() != null) {
			return request.customerEmail();
		}
		String fromToken = caller.email();
		if (fromToken != null && fromToken.strip().length() <= PlaceOrderRequest.MAX_EMAIL_LENGTH
				&& EMAIL.matcher(fromToken.strip()).matches()) {
			return fromToken;
		}
		String message = "is required: the token carries no usable e-mail address";
		throw new InvalidRequestException("'customerEmail' " + message,
				List.of(new InvalidField("customerEmail", message)));
	}

	private static void checkIdempotencyKey(String key) {
		if (key == null) {
			return;
		}
		if (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH
				|| !IDEMPOTENCY_KEY_CHARACTERS.matcher(key).matches()) {
			String message = "must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH
					+ " visible ASCII characters (no spaces), e.g. a UUID";
			throw new InvalidRequestException("Header '" + IDEMPOTENCY_KEY + "' " + message,
					List.of(new InvalidField(IDEMPOTENCY_KEY, message)));
		}
	}

	/** One line per product: two lines for one product are almost certainly a client bug, so say so. */
	private static void checkNoDuplicateProducts(PlaceOrderRequest request) {
		Map<UUID, Integer> first = new HashMap<>();
		List<InvalidField> errors = new ArrayList<>();
		for (int i = 0; i < request.items().size(); i++) {
			UUID productId = UUID.fromString(request.items().get(i).productId());
			Integer earlier = first.putIfAbsent(productId, i);
			if (earlier != null) {
				errors.add(new InvalidField("items[" + i + "].productId",
						"repeats the product of items[" + earlier + "]; put the whole quantity on one line"));
			}
		}
		if (!errors.isEmpty()) {
			throw new InvalidRequestException("Each product may appear on one line only", errors);
		}
	}

	private static UUID uuid(String name, String value) {
		if (value == null || !UUID_PATTERN.matcher(value).matches()) {
			throw new InvalidRequestException("Parameter '" + name + "' must be a UUID",
					List.of(new InvalidField(name, "must be a UUID")));
		}
		return UUID.fromString(value);
	}

	private static OrderStatus status(String value) {
		try {
			return OrderStatus.valueOf(value.strip().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			String message = "must be one of " + Arrays.toString(OrderStatus.values());
			throw new InvalidRequestException("Parameter 'status' " + message,
					List.of(new InvalidField("status", message)));
		}
	}

}

package com.example.shop.storefront.shop;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.util.UriBuilder;

import com.example.shop.security.ServiceTokens;
import com.example.shop.storefront.security.SessionExpiredException;
import com.example.shop.storefront.security.UserTokens;

/**
 * The public API behind the gateway (docs/api.md), as the storefront uses it: the same calls and answers as curl or
 * any other client, with the signed-in shopper's access token when there is one ({@link UserTokens} renews it before
 * it expires), a deadline on every call, and the circuit breaker "gateway".
 * <p>
 * Answers become: the record asked for; {@link ShopProblem} for a 4xx (what was sent, or who sent it, was not
 * right); {@link SessionExpiredException} when the gateway refuses a signed-in shopper's token;
 * {@link ShopUnavailableException} for a 5xx; {@link GatewayUnreachableException} when the gateway does not answer
 * (the only failure the breaker counts). Nothing is retried here: reads are retried by the gateway, and placing an
 * order is made safe to repeat by its {@code Idempotency-Key} (the shopper's next click repeats it).
 */
public class ShopApi {

	private static final ParameterizedTypeReference<Page<Product>> PRODUCT_PAGE = new ParameterizedTypeReference<>() {
	};

	private static final ParameterizedTypeReference<Page<Order>> ORDER_PAGE = new ParameterizedTypeReference<>() {
	};

	private static final ParameterizedTypeReference<List<DeadLetter>> DEAD_LETTERS = new ParameterizedTypeReference<>() {
	};

	private final RestClient gateway;

	/** The header that names the visitor a call is made for (api-gateway's rate limits). */
	static final String VISITOR_HEADER = "X-Visitor-Address";

	private final UserTokens tokens;

	private final ServiceTokens serviceTokens;

	private final CircuitBreaker breaker;

	private final JsonMapper json;

	private final URI baseUrl;

	public ShopApi(RestClient.Builder builder, GatewayProperties properties, UserTokens tokens,
			ServiceTokens serviceTokens, CircuitBreaker breaker, JsonMapper json) {
		this.baseUrl = properties.baseUrl();
		this.tokens = tokens;
		this.serviceTokens = serviceTokens;
		this.breaker = breaker;
		this.json = json;
		this.gateway = builder.baseUrl(properties.baseUrl().toString())
			.defaultStatusHandler(status -> status.isError(), this::refuse)
			.build();
	}

	// ---- catalog (anybody)

	public Page<Product> products(CatalogQuery query) {
		return call(() -> get(uri -> query.applyTo(uri.path("/api/products"))).body(PRODUCT_PAGE));
	}

	public Product product(UUID id) {
		return call(() -> get(uri -> uri.path("/api/products/{id}").build(id)).body(Product.class));
	}

	/** The product with its version ({@code ETag}), for an edit that must not overwrite someone else's. */
	public Versioned<Product> productForEdit(UUID id) {
		return call(() -> {
			var entity = get(uri -> uri.path("/api/products/{id}").build(id)).toEntity(Product.class);
			return new Versioned<>(entity.getBody(), entity.getHeaders().getETag());
		});
	}

	/** The product's stock, or empty when inventory has no record of it yet (404). */
	public Optional<Stock> stock(UUID productId) {
		try {
			return Optional.of(call(() -> get(uri -> uri.path("/api/inventory/{id}").build(productId)).body(Stock.class)));
		}
		catch (ShopProblem problem) {
			if (problem.status() == 404) {
				return Optional.empty();
			}
			throw problem;
		}
	}

	// ---- orders (the signed-in shopper's own)

	public Order placeOrder(String idempotencyKey, String customerEmail, List<OrderItem> items, String paymentToken) {
		Map<String, Object> body = Map.of("customerEmail", customerEmail, "items", items, "payment",
				Map.of("token", paymentToken));
		return call(() -> gateway.post()
			.uri("/api/orders")
			.headers(this::authorize)
			.header("Idempotency-Key", idempotencyKey)
			.body(body)
			.retrieve()
			.body(Order.class));
	}

	public Order order(UUID id) {
		return call(() -> get(uri -> uri.path("/api/orders/{id}").build(id)).body(Order.class));
	}

	public Page<Order> orders(int page, int size) {
		return call(() -> get(uri -> uri.path("/api/orders")
			.queryParam("page", page)
			.queryParam("size", size)
			.queryParam("sort", "createdAt,desc")
			.build()).body(ORDER_PAGE));
	}

	public void cancelOrder(UUID id) {
		call(() -> gateway.post().uri("/api/orders/{id}/cancel", id).headers(this::authorize).retrieve().toBodilessEntity());
	}

	/** Where the order's live status WebSocket is, through the gateway. */
	public URI liveStatusUri(UUID orderId) {
		String base = baseUrl.toString().replaceFirst("^http", "ws");
		return URI.create(base + "/ws/orders/" + orderId);
	}

	/** The shopper's access token for a call made outside this client (the live status WebSocket). */
	public String accessToken() {
		return tokens.current().orElseThrow(() -> new SessionExpiredException("Not signed in", null));
	}

	// ---- admin

	public Product updateProduct(UUID id, String version, ProductChange change) {
		return call(() -> gateway.put()
			.uri("/api/products/{id}", id)
			.headers(this::authorize)
			.headers(headers -> {
				if (version != null && !version.isBlank()) {
					headers.setIfMatch(version);
				}
			})
			.body(change)
			.retrieve()
			.body(Product.class));
	}

	public Stock setStock(UUID productId, int onHand) {
		return call(() -> gateway.put()
			.uri("/api/inventory/{id}", productId)
			.headers(this::authorize)
			.body(Map.of("onHand", onHand))
			.retrieve()
			.body(Stock.class));
	}

	public List<DeadLetter> deadLetters(String service) {
		return call(() -> get(uri -> uri.path("/api/admin/{service}/dead-letters").build(service)).body(DEAD_LETTERS));
	}

	public void replayDeadLetter(String service, UUID id) {
		call(() -> gateway.post()
			.uri("/api/admin/{service}/dead-letters/{id}/replay", service, id)
			.headers(this::authorize)
			.retrieve()
			.toBodilessEntity());
	}

	public void discardDeadLetter(String service, UUID id) {
		call(() -> gateway.delete()
			.uri("/api/admin/{service}/dead-letters/{id}", service, id)
			.headers(this::authorize)
			.retrieve()
			.toBodilessEntity());
	}

	// ---- the mechanics

	private RestClient.ResponseSpec get(java.util.function.Function<UriBuilder, URI> uri) {
		return gateway.get().uri(uri).headers(this::authorize).retrieve();
	}

	/**
	 * The signed-in shopper's token; for an anonymous visitor the storefront's own, with the visitor's address, so that
	 * the gateway counts the call against that visitor's budget rather than one budget for every visitor of the shop
	 * (only the storefront's service account may name a visitor: api-gateway's CallerKey). Without a service token
	 * (the realm unreachable) the call goes anonymous.
	 */
	private void authorize(HttpHeaders headers) {
		Optional<String> shopper = tokens.current();
		if (shopper.isPresent()) {
			headers.setBearerAuth(shopper.get());
			return;
		}
		if (serviceTokens == null) {
			return;
		}
		try {
			headers.setBearerAuth(serviceTokens.bearer());
			visitorAddress().ifPresent(address -> headers.set(VISITOR_HEADER, address));
		}
		catch (ServiceTokens.ServiceTokenUnavailableException noToken) {
			// Anonymous, then: the catalog needs no token.
		}
	}

	private static Optional<String> visitorAddress() {
		return (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request)
				? Optional.ofNullable(request.getRequest().getRemoteAddr()) : Optional.empty();
	}

	private <T> T call(Supplier<T> call) {
		try {
			return breaker.executeSupplier(() -> {
				try {
					return call.get();
				}
				catch (ResourceAccessException unreachable) {
					throw new GatewayUnreachableException("The gateway did not answer: " + unreachable.getMessage(),
							unreachable);
				}
			});
		}
		catch (CallNotPermittedException open) {
			throw new GatewayUnreachableException("The gateway's circuit breaker is open", open);
		}
	}

	private void refuse(HttpRequest request, ClientHttpResponse response) throws IOException {
		int status = response.getStatusCode().value();
		if (status >= 500) {
			throw new ShopUnavailableException(status, request.getMethod() + " " + request.getURI().getPath()
					+ " answered " + status, null);
		}
		if (status == 401 && request.getHeaders().containsHeader(HttpHeaders.AUTHORIZATION)) {
			throw new SessionExpiredException("The gateway refused the shopper's token", null);
		}
		Map<?, ?> problem = problemOf(response);
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> errors = (problem.get("errors") instanceof List<?> list)
				? (List<Map<String, Object>>) list : List.of();
		throw new ShopProblem(status, text(problem.get("title")), text(problem.get("detail")), errors,
				retryAfter(response.getHeaders()));
	}

	private Map<?, ?> problemOf(ClientHttpResponse response) {
		try {
			byte[] body = response.getBody().readAllBytes();
			return (body.length == 0) ? Map.of() : json.readValue(body, Map.class);
		}
		catch (IOException | RuntimeException unreadable) {
			return Map.of();
		}
	}

	private static String text(Object value) {
		return (value == null) ? "" : value.toString();
	}

	private static Duration retryAfter(HttpHeaders headers) {
		String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
		if (value == null) {
			return null;
		}
		try {
			return Duration.ofSeconds(Long.parseLong(value.trim()));
		}
		catch (NumberFormatException notSeconds) {
			return null;
		}
	}

	/** One line of an order to place. */
	public record OrderItem(UUID productId, int quantity) {
	}

	/** Every field of a product, as {@code PUT /api/products/{id}} replaces them. */
	public record ProductChange(String sku, String name, String description, String category, BigDecimal price,
			String currency, boolean available) {
	}

	/** A resource and the version its {@code ETag} named. */
	public record Versioned<T>(T value, String version) {
	}

}

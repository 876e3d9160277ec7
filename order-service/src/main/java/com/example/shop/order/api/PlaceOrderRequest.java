package com.example.shop.order.api;

import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.swagger.v3.oas.annotations.media.Schema;

import com.example.shop.order.PlaceOrder;

/**
 * Body of POST /api/orders (docs/api.md). Ids are strings checked against the canonical UUID form, so a
 * bad id is reported with its field like every other mistake (Jackson would stop at the first one, and it
 * accepts short or base64 forms). Prices are not part of it: they come from the catalog. Unknown properties
 * are ignored, as everywhere in the API.
 * <p>
 * Who orders is the token's subject: {@code customerId} may be left out, and when given must be that subject
 * (checked by the controller, 403 otherwise). {@code customerEmail} may be left out when the token carries an
 * e-mail address, which is then used.
 */
public record PlaceOrderRequest(
		@Pattern(regexp = UUID_PATTERN, message = UUID_MESSAGE) String customerId,
		@Size(max = MAX_EMAIL_LENGTH) @Email(regexp = EMAIL_PATTERN, message = EMAIL_MESSAGE) String customerEmail,
		@NotEmpty @Size(max = MAX_LINES, message = "must have between 1 and " + MAX_LINES + " lines")
		List<@NotNull @Valid Item> items,
		@NotNull @Valid Payment payment) {

	/** Lines per order: enough for a real basket, few enough that pricing stays one catalog call. */
	public static final int MAX_LINES = 50;

	/** Units per line: a shop for people, not pallets; keeps totals far from overflowing. */
	public static final int MAX_QUANTITY = 1000;

	static final String UUID_PATTERN = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

	static final String UUID_MESSAGE = "must be a UUID such as 00000000-0000-4000-8000-000000000001";

	static final int MAX_EMAIL_LENGTH = 254;

	/** What the column and the e-mails need: something, an {@code @}, a domain with a dot. */
	static final String EMAIL_PATTERN = ".+@[^@]+\\.[^@]+";

	static final String EMAIL_MESSAGE = "must be an email address such as ada@example.com";

	/** Named in the OpenAPI description apart from the answer's {@code Item}, which is another shape. */
	@Schema(name = "PlaceOrderItem")
	public record Item(@NotNull @Pattern(regexp = UUID_PATTERN, message = UUID_MESSAGE) String productId,
			@NotNull @Min(1) @Max(MAX_QUANTITY) Integer quantity) {
	}

	/** @param token of the payment provider (test tokens: tok_ok, tok_declined, tok_timeout, tok_flaky) */
	@Schema(name = "PlaceOrderPayment")
	public record Payment(@NotBlank @Size(max = 200) @Pattern(regexp = "[\\x21-\\x7E]*",
			message = "must be visible ASCII characters without spaces") String token) {

		@Override
		public String toString() {
			return "Payment[token=***]";
		}

	}

	/**
	 * Valid requests only (after bean validation and the duplicate check).
	 * @param customer the caller's customer id (the token's subject)
	 * @param email this body's address, or the token's when the body has none
	 */
	PlaceOrder toCommand(UUID customer, String email) {
		return new PlaceOrder(customer, email.strip(),
				this.items.stream().map((item) -> new PlaceOrder.Item(UUID.fromString(item.productId()), item.quantity())).toList(),
				this.payment.token());
	}

}

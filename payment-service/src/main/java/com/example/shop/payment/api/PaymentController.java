package com.example.shop.payment.api;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import com.example.shop.payment.payment.Payments;
import com.example.shop.web.problem.InvalidField;
import com.example.shop.web.problem.InvalidRequestException;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Payments over HTTP (CONTRACT.md "Payments"): read-only; payments are made by the order saga. Bad input
 * answers a problem+json 400 (libs/web-problems).
 */
@RestController
@RequestMapping("/api/payments")
class PaymentController {

	/** Strict: {@link UUID#fromString} also accepts short forms such as "1-2-3-4-5". */
	private static final Pattern UUID_PATTERN = Pattern
		.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

	private static final int MAX_ECHOED_VALUE = 64;

	private final Payments payments;

	PaymentController(Payments payments) {
		this.payments = payments;
	}

	/**
	 * The order's payments: none or one. Left out: a payment whose authorization is still pending (it is not
	 * a payment yet; its outcome appears here once the provider answered), and the slot a void took before
	 * any authorization arrived (no money was ever involved, and the contract's payment always has an
	 * amount).
	 */
	@GetMapping
	List<PaymentResponse> list(@RequestParam String orderId) {
		return this.payments.findByOrderId(parseOrderId(orderId))
			.filter(payment -> !payment.isPending() && payment.hasAmount())
			.map(PaymentResponse::of)
			.stream()
			.toList();
	}

	private static UUID parseOrderId(String orderId) {
		return Optional.of(orderId)
			.filter(id -> UUID_PATTERN.matcher(id).matches())
			.map(UUID::fromString)
			.orElseThrow(() -> new InvalidRequestException(
					"Parameter 'orderId' must be a UUID but was '" + echo(orderId) + "'",
					List.of(new InvalidField("orderId", "must be a UUID"))));
	}

	private static String echo(String value) {
		return (value.length() > MAX_ECHOED_VALUE) ? value.substring(0, MAX_ECHOED_VALUE) + "..." : value;
	}

}

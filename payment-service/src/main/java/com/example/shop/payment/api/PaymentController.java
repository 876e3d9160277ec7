package com.example.shop.payment.api;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import com.example.shop.payment.Payment;
import com.example.shop.payment.Payments;
import com.example.shop.security.Caller;
import com.example.shop.web.problem.CanonicalUuid;
import com.example.shop.web.problem.NotFoundException;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Payments over HTTP (docs/api.md "Payments"): read-only; payments are made by the order saga. Bad input
 * answers a problem+json 400 (libs/web-problems); who may call it is {@link PaymentAccess}.
 */
@RestController
@RequestMapping("/api/payments")
@Tag(name = "Payments", description = "An order's payment (role customer or admin), read-only: the saga makes it")
class PaymentController {

	private final Payments payments;

	PaymentController(Payments payments) {
		this.payments = payments;
	}

	/**
	 * The order's payments: none or one. Left out: a payment whose authorization is still pending (it is not
	 * a payment yet; its outcome appears here once the provider answered), and the slot a void took before
	 * any authorization arrived (no money was ever involved, and a payment of the public API always has an
	 * amount).
	 * <p>
	 * Who sees it: an admin, any order's, {@code []} for an order without payment. A customer only the payment
	 * that carries their id (their token's subject, as order-service sent it with the authorization); for any
	 * other order id, whether it has no payment at all, someone else's, or one whose customer is not known, the
	 * answer is one and the same 404, so that a customer cannot learn that another customer's order exists.
	 */
	@Operation(operationId = "listPayments", summary = "An order's payment: none or one")
	@ApiResponse(responseCode = "200", description = "[] while the authorization is pending; an admin gets [] for any "
			+ "order without a payment")
	@ApiResponse(responseCode = "404", description = "For a customer: the order has no payment of theirs (another "
			+ "customer's order, or none yet)")
	@GetMapping
	List<PaymentResponse> list(
			@Parameter(description = "The order's id", schema = @Schema(format = "uuid")) @RequestParam String orderId,
			Caller caller) {
		UUID order = CanonicalUuid.parameter("orderId", orderId);
		Optional<Payment> payment = this.payments.findByOrderId(order);
		if (!caller.isAdmin() && payment.filter(found -> caller.mayRead(owner(found))).isEmpty()) {
			throw new NotFoundException("Order " + order + " has no payment of yours.");
		}
		return payment.filter(found -> !found.isPending() && found.hasAmount())
			.map(PaymentResponse::of)
			.stream()
			.toList();
	}

	private static String owner(Payment payment) {
		return (payment.customerId() != null) ? payment.customerId().toString() : null;
	}

}

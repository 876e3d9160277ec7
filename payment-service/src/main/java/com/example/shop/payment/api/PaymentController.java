package com.example.shop.payment.api;

import java.util.List;

import com.example.shop.payment.payment.Payments;
import com.example.shop.web.problem.CanonicalUuid;

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
		return this.payments.findByOrderId(CanonicalUuid.parameter("orderId", orderId))
			.filter(payment -> !payment.isPending() && payment.hasAmount())
			.map(PaymentResponse::of)
			.stream()
			.toList();
	}

}

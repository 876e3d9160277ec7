package com.example.shop.payment.api;

import com.example.shop.security.AccessRules;
import com.example.shop.security.Caller;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * Who may call what (libs/security; README "Who may call what"): a customer or an admin reads payments, and
 * {@link PaymentController} narrows a customer to their own. Everything not named here needs the role admin: the
 * dead-letter admin API ({@code /admin/dead-letters/**}, {@code /api/admin/payment-service/...} at the gateway).
 */
@Configuration(proxyBeanMethods = false)
class PaymentAccess {

	@Bean
	AccessRules paymentAccessRules() {
		return rules -> rules.requestMatchers(HttpMethod.GET, "/api/payments")
			.hasAnyRole(Caller.CUSTOMER, Caller.ADMIN);
	}

}

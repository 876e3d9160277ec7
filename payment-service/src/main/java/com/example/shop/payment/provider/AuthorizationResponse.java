package com.example.shop.payment.provider;

/** The provider's answer to an authorization: approved, declined, or no answer ({@link ProviderUnavailable}). */
public sealed interface AuthorizationResponse permits AuthorizationResponse.Approved, AuthorizationResponse.Declined,
		ProviderUnavailable {

	/** @param reference the provider's id of the authorization */
	record Approved(String reference) implements AuthorizationResponse {
	}

	/** @param reason machine-readable, e.g. {@code card_declined}, {@code invalid_token} */
	record Declined(String reason) implements AuthorizationResponse {
	}

}

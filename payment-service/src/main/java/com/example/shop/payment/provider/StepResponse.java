package com.example.shop.payment.provider;

/** The provider's answer to a capture, void or refund. */
public sealed interface StepResponse permits StepResponse.Completed, StepResponse.Refused, ProviderUnavailable {

	StepResponse COMPLETED = new Completed();

	/** Done, now or by an earlier request. */
	record Completed() implements StepResponse {
	}

	/** Not possible for this authorization's state (e.g. voiding a captured one); final. */
	record Refused(String reason) implements StepResponse {
	}

}

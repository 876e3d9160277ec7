package com.example.shop.storefront.checkout;

/**
 * The payment provider simulator's test tokens (docs/api.md "Payments"), offered at checkout as cards, so every
 * outcome of the saga can be tried from the browser.
 */
public enum Card {

	OK("tok_ok", "Test card: approved"),
	DECLINED("tok_declined", "Test card: declined by the bank"),
	SLOW("tok_timeout", "Test card: the bank never answers (the order times out)"),
	FLAKY("tok_flaky", "Test card: fails twice, then approved");

	private final String token;

	private final String label;

	Card(String token, String label) {
		this.token = token;
		this.label = label;
	}

	public String token() {
		return token;
	}

	public String label() {
		return label;
	}

	static Card of(String token) {
		for (Card card : values()) {
			if (card.token.equals(token)) {
				return card;
			}
		}
		return OK;
	}

}

package com.example.shop.storefront.cart;

import jakarta.servlet.http.HttpSession;

import org.springframework.stereotype.Component;

/** The shopper's cart in their HTTP session: read it, save a changed one (Spring Session writes it to Redis). */
@Component
public class CartStore {

	static final String ATTRIBUTE = "cart";

	public Cart of(HttpSession session) {
		return (session.getAttribute(ATTRIBUTE) instanceof Cart cart) ? cart : Cart.empty();
	}

	public void save(HttpSession session, Cart cart) {
		session.setAttribute(ATTRIBUTE, cart);
	}

	public void clear(HttpSession session) {
		session.removeAttribute(ATTRIBUTE);
	}

}

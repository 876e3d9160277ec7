package com.example.shop.storefront.checkout;

import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpSession;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import com.example.shop.storefront.cart.Cart;
import com.example.shop.storefront.cart.CartStore;
import com.example.shop.storefront.shop.Order;
import com.example.shop.storefront.shop.ShopApi;
import com.example.shop.storefront.shop.ShopApi.OrderItem;
import com.example.shop.storefront.shop.ShopProblem;
import com.example.shop.storefront.shop.ShopUnavailableException;
import com.example.shop.storefront.web.Sentences;

/**
 * Checkout: the cart, the email for the receipt and a test card, placed as one order with
 * {@code POST /api/orders}. The form carries an idempotency key made when the page was rendered, so a double click
 * or a retry after "the shop is busy" places one order, never two (the API returns the first). A refusal is shown
 * on the same page, the cart kept; an accepted order empties the cart and opens the order's page, where its status
 * changes live.
 */
@Controller
class CheckoutController {

	private final ShopApi shop;

	private final CartStore carts;

	CheckoutController(ShopApi shop, CartStore carts) {
		this.shop = shop;
		this.carts = carts;
	}

	@GetMapping("/checkout")
	String checkout(HttpSession session, @AuthenticationPrincipal OidcUser shopper, Model model) {
		Cart cart = carts.of(session);
		if (cart.isEmpty()) {
			return "redirect:/cart";
		}
		return form(model, cart, shopper.getEmail(), Card.OK, UUID.randomUUID().toString(), null);
	}

	@PostMapping("/checkout")
	String place(@RequestParam String idempotencyKey, @RequestParam String email, @RequestParam String card,
			HttpSession session, @AuthenticationPrincipal OidcUser shopper, Model model) {
		Cart cart = carts.of(session);
		if (cart.isEmpty()) {
			return "redirect:/cart";
		}
		Card chosen = Card.of(card);
		List<OrderItem> items = cart.lines().stream().map(line -> new OrderItem(line.productId(), line.quantity())).toList();
		try {
			Order order = shop.placeOrder(idempotencyKey, email, items, chosen.token());
			carts.clear(session);
			return "redirect:/orders/" + order.id();
		}
		catch (ShopProblem refused) {
			return form(model, cart, email, chosen, keyAfter(refused, idempotencyKey), Sentences.ofCheckout(refused,
					cart.lines().stream().map(Cart.Line::name).toList()));
		}
		catch (ShopUnavailableException unavailable) {
			// The same key again: if the order was stored before the failure, trying again finds it.
			return form(model, cart, email, chosen, idempotencyKey, Sentences.unavailable());
		}
	}

	/**
	 * The key for the next attempt: the same one while the API may still be working on it (409 in flight, 429), a
	 * new one after a refusal of the order itself, since the shopper will change the cart or the email and the API
	 * answers 422 to a known key with a different body.
	 */
	private static String keyAfter(ShopProblem refused, String key) {
		boolean retryable = refused.status() == 429
				|| (refused.status() == 409 && !Sentences.isInsufficientStock(refused));
		return retryable ? key : UUID.randomUUID().toString();
	}

	private static String form(Model model, Cart cart, String email, Card card, String idempotencyKey, String trouble) {
		model.addAttribute("cart", cart);
		model.addAttribute("email", email);
		model.addAttribute("cards", Card.values());
		model.addAttribute("chosenCard", card);
		model.addAttribute("idempotencyKey", idempotencyKey);
		model.addAttribute("trouble", trouble);
		return "checkout";
	}

}

package com.example.shop.storefront.cart;

import java.util.UUID;

import jakarta.servlet.http.HttpSession;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import com.example.shop.storefront.shop.Product;
import com.example.shop.storefront.shop.ShopApi;

/** The cart: add from a product page, change a quantity, remove a line. Plain forms, no JavaScript needed. */
@Controller
class CartController {

	private final ShopApi shop;

	private final CartStore carts;

	CartController(ShopApi shop, CartStore carts) {
		this.shop = shop;
		this.carts = carts;
	}

	@GetMapping("/cart")
	String cart(HttpSession session, Model model) {
		model.addAttribute("cart", carts.of(session));
		return "cart";
	}

	@PostMapping("/cart/items")
	String add(@RequestParam UUID productId, @RequestParam(defaultValue = "1") int quantity, HttpSession session,
			RedirectAttributes redirect) {
		Product product = shop.product(productId);
		if (!product.available()) {
			redirect.addFlashAttribute("message", product.name() + " is not sold at the moment.");
			return "redirect:/products/" + productId;
		}
		Cart cart = carts.of(session);
		if (!cart.accepts(product.unitPrice())) {
			redirect.addFlashAttribute("message", product.name() + " is priced in " + product.currency()
					+ " and your cart in " + cart.currency() + ": one order has one currency. Please order it separately.");
			return "redirect:/products/" + productId;
		}
		int units = Math.clamp(quantity, 1, Cart.MAX_QUANTITY);
		carts.save(session, cart.add(product.id(), product.name(), product.unitPrice(), units));
		redirect.addFlashAttribute("message", "Added " + units + " × " + product.name() + " to your cart.");
		return "redirect:/cart";
	}

	@PostMapping("/cart/items/{productId}")
	String change(@PathVariable UUID productId, @RequestParam int quantity, HttpSession session) {
		carts.save(session, carts.of(session).set(productId, Math.clamp(quantity, 0, Cart.MAX_QUANTITY)));
		return "redirect:/cart";
	}

	@PostMapping("/cart/items/{productId}/remove")
	String remove(@PathVariable UUID productId, HttpSession session) {
		carts.save(session, carts.of(session).set(productId, 0));
		return "redirect:/cart";
	}

}

package com.example.shop.storefront.orders;

import java.util.UUID;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import com.example.shop.storefront.shop.ShopApi;
import com.example.shop.storefront.shop.ShopProblem;
import com.example.shop.storefront.web.Sentences;

/**
 * The shopper's orders: the history, one order (its status then changes live, see {@link OrderStatusRelay}) and
 * cancelling one. Whose order it is, is the API's business: another customer's order is "not found" there, and so
 * here.
 */
@Controller
class OrderPagesController {

	static final int PAGE_SIZE = 10;

	private final ShopApi shop;

	OrderPagesController(ShopApi shop) {
		this.shop = shop;
	}

	@GetMapping("/orders")
	String orders(@RequestParam(defaultValue = "0") int page, Model model) {
		model.addAttribute("orders", shop.orders(Math.max(page, 0), PAGE_SIZE));
		return "orders";
	}

	@GetMapping("/orders/{id}")
	String order(@PathVariable UUID id, Model model) {
		model.addAttribute("order", shop.order(id));
		return "order";
	}

	@PostMapping("/orders/{id}/cancel")
	String cancel(@PathVariable UUID id, RedirectAttributes redirect) {
		try {
			shop.cancelOrder(id);
			redirect.addFlashAttribute("message", "We are cancelling your order.");
		}
		catch (ShopProblem refused) {
			redirect.addFlashAttribute("message", (refused.status() == 409)
					? "This order can no longer be cancelled." : Sentences.of(refused));
		}
		return "redirect:/orders/" + id;
	}

}

package com.example.shop.storefront.admin;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import com.example.shop.storefront.shop.Product;
import com.example.shop.storefront.shop.ShopApi;
import com.example.shop.storefront.shop.ShopApi.ProductChange;
import com.example.shop.storefront.shop.ShopApi.Versioned;
import com.example.shop.storefront.shop.ShopProblem;
import com.example.shop.storefront.web.Sentences;

/**
 * The shop staff's pages (role {@code admin}, see StorefrontSecurity): edit a product, set its stock, and look at
 * the dead letters of each service, replaying or discarding them. Every action is the public API's admin call with
 * the admin's own token, so the gateway and the service check the role again and audit it.
 */
@Controller
class AdminController {

	/** The services that keep dead letters (docs/api.md "Dead letters"). */
	static final List<String> SERVICES = List.of("order-service", "inventory-service", "payment-service",
			"notification-service", "product-service");

	private final ShopApi shop;

	AdminController(ShopApi shop) {
		this.shop = shop;
	}

	@GetMapping("/admin")
	String home(Model model) {
		model.addAttribute("services", SERVICES);
		return "admin/home";
	}

	@GetMapping("/admin/products/{id}")
	String product(@PathVariable UUID id, Model model) {
		Versioned<Product> product = shop.productForEdit(id);
		model.addAttribute("product", product.value());
		model.addAttribute("version", product.version());
		model.addAttribute("stock", shop.stock(id).orElse(null));
		return "admin/product";
	}

	@PostMapping("/admin/products/{id}")
	String saveProduct(@PathVariable UUID id, @RequestParam String version, @RequestParam String sku,
			@RequestParam String name, @RequestParam(defaultValue = "") String description,
			@RequestParam String category, @RequestParam BigDecimal price, @RequestParam String currency,
			@RequestParam(defaultValue = "false") boolean available, RedirectAttributes redirect) {
		try {
			shop.updateProduct(id, version, new ProductChange(sku, name, description, category, price, currency, available));
			redirect.addFlashAttribute("message", "Saved.");
		}
		catch (ShopProblem refused) {
			redirect.addFlashAttribute("trouble", Sentences.of(refused));
		}
		return "redirect:/admin/products/" + id;
	}

	@PostMapping("/admin/products/{id}/stock")
	String setStock(@PathVariable UUID id, @RequestParam int onHand, RedirectAttributes redirect) {
		try {
			shop.setStock(id, onHand);
			redirect.addFlashAttribute("message", "Stock set to " + onHand + ".");
		}
		catch (ShopProblem refused) {
			redirect.addFlashAttribute("trouble", (refused.status() == 409)
					? "Not below what is reserved for orders in progress: " + refused.detail() : Sentences.of(refused));
		}
		return "redirect:/admin/products/" + id;
	}

	@GetMapping("/admin/dead-letters")
	String deadLetters(@RequestParam(defaultValue = "order-service") String service, Model model) {
		String chosen = SERVICES.contains(service) ? service : SERVICES.getFirst();
		model.addAttribute("services", SERVICES);
		model.addAttribute("service", chosen);
		model.addAttribute("deadLetters", shop.deadLetters(chosen));
		return "admin/dead-letters";
	}

	@PostMapping("/admin/dead-letters/{service}/{id}/replay")
	String replay(@PathVariable String service, @PathVariable UUID id, RedirectAttributes redirect) {
		return act(service, id, redirect, () -> shop.replayDeadLetter(service, id), "Sent back to be handled again.");
	}

	@PostMapping("/admin/dead-letters/{service}/{id}/discard")
	String discard(@PathVariable String service, @PathVariable UUID id, RedirectAttributes redirect) {
		return act(service, id, redirect, () -> shop.discardDeadLetter(service, id), "Discarded.");
	}

	private String act(String service, UUID id, RedirectAttributes redirect, Runnable action, String done) {
		if (!SERVICES.contains(service)) {
			redirect.addFlashAttribute("trouble", "There is no service called " + service + ".");
			return "redirect:/admin/dead-letters";
		}
		try {
			action.run();
			redirect.addFlashAttribute("message", done + " (" + id + ")");
		}
		catch (ShopProblem refused) {
			redirect.addFlashAttribute("trouble", Sentences.of(refused));
		}
		redirect.addAttribute("service", service);
		return "redirect:/admin/dead-letters";
	}

}

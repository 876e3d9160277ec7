package com.example.shop.storefront.catalog;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

import com.example.shop.storefront.shop.CatalogQuery;
import com.example.shop.storefront.shop.Product;
import com.example.shop.storefront.shop.ShopApi;

/** The catalog (search, category and price filters, sorting, paging) and a product's page. Anybody may browse. */
@Controller
class CatalogController {

	private final ShopApi shop;

	private final List<String> categories;

	CatalogController(ShopApi shop, @Value("${shop.storefront.categories}") List<String> categories) {
		this.shop = shop;
		this.categories = categories;
	}

	@GetMapping("/")
	String catalog(@RequestParam(required = false) String q, @RequestParam(required = false) String category,
			@RequestParam(required = false) BigDecimal minPrice, @RequestParam(required = false) BigDecimal maxPrice,
			@RequestParam(defaultValue = "0") int page, @RequestParam(required = false) String sort, Model model) {
		CatalogQuery query = new CatalogQuery(q, category, minPrice, maxPrice, page, CatalogQuery.PAGE_SIZE, sort);
		model.addAttribute("query", query);
		model.addAttribute("products", shop.products(query));
		model.addAttribute("categories", categories);
		return "catalog";
	}

	@GetMapping("/products/{id}")
	String product(@PathVariable UUID id, Model model) {
		Product product = shop.product(id);
		model.addAttribute("product", product);
		model.addAttribute("availability", Availability.of(shop.stock(id)));
		return "product";
	}

}

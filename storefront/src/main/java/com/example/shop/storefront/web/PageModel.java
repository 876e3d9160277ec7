package com.example.shop.storefront.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

import com.example.shop.storefront.cart.CartStore;

/** What every page's header shows: who is signed in (and whether they are staff), and how full the cart is. */
@ControllerAdvice
class PageModel {

	private final CartStore carts;

	PageModel(CartStore carts) {
		this.carts = carts;
	}

	@ModelAttribute("shopper")
	String shopper() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication != null && authentication.getPrincipal() instanceof OidcUser user) {
			return (user.getGivenName() != null) ? user.getGivenName() : user.getPreferredUsername();
		}
		return null;
	}

	@ModelAttribute("staff")
	boolean staff() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return authentication != null
				&& authentication.getAuthorities().stream().anyMatch(a -> "ROLE_admin".equals(a.getAuthority()));
	}

	@ModelAttribute("cartCount")
	int cartCount(HttpServletRequest request) {
		// Never create a session just to say the cart is empty.
		HttpSession session = request.getSession(false);
		return (session == null) ? 0 : carts.of(session).count();
	}

}

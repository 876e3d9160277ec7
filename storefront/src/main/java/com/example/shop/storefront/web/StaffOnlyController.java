package com.example.shop.storefront.web;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.ModelAndView;

/** Where Spring Security sends a shopper who opened a staff page (403). */
@Controller
class StaffOnlyController {

	@RequestMapping("/staff-only")
	ModelAndView staffOnly() {
		ModelAndView page = new ModelAndView("trouble");
		page.setStatus(HttpStatus.FORBIDDEN);
		page.addObject("title", "Staff only");
		page.addObject("sentence", "This page is for shop staff. You are signed in as a customer.");
		return page;
	}

}

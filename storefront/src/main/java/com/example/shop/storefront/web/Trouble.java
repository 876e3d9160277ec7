package com.example.shop.storefront.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.web.authentication.logout.SecurityContextLogoutHandler;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.ModelAndView;

import com.example.shop.storefront.security.KeycloakClients;
import com.example.shop.storefront.security.SessionExpiredException;
import com.example.shop.storefront.shop.ShopProblem;
import com.example.shop.storefront.shop.ShopUnavailableException;

/**
 * Every failure a page can meet, as a page with a sentence (templates/trouble.html) and the status that fits:
 * a part of the shop down is 503 "try again in a minute", an unknown product or order 404, a throttled shopper 429
 * with how long to wait. A login that can no longer be renewed is ended here and the shopper sent to log in again.
 */
@ControllerAdvice
class Trouble {

	private static final Logger log = LoggerFactory.getLogger(Trouble.class);

	private final OAuth2AuthorizedClientRepository authorizedClients;

	private final RequestCache returnHere = new HttpSessionRequestCache();

	Trouble(OAuth2AuthorizedClientRepository authorizedClients) {
		this.authorizedClients = authorizedClients;
	}

	@ExceptionHandler(ShopUnavailableException.class)
	ModelAndView unavailable(ShopUnavailableException failure) {
		log.warn("A page could not be served: {}", failure.getMessage());
		return page(HttpStatus.SERVICE_UNAVAILABLE, "Please try again in a minute", Sentences.unavailable());
	}

	@ExceptionHandler(ShopProblem.class)
	ModelAndView refused(ShopProblem problem) {
		HttpStatus status = HttpStatus.resolve(problem.status());
		String title = switch (problem.status()) {
			case 404 -> "Not found";
			case 403 -> "Staff only";
			case 429 -> "A little too fast";
			default -> "That did not work";
		};
		return page((status != null) ? status : HttpStatus.BAD_REQUEST, title, Sentences.of(problem));
	}

	/**
	 * The login ends, the session does not: the cart stays, and the page the shopper was on is remembered so that
	 * the login brings them back to it (a checkout that failed this way is shown again, ready to be placed).
	 */
	@ExceptionHandler(SessionExpiredException.class)
	String expired(SessionExpiredException expired, HttpServletRequest request, HttpServletResponse response) {
		log.info("Login ended: {}", expired.getMessage());
		Authentication login = SecurityContextHolder.getContext().getAuthentication();
		if (login != null) {
			authorizedClients.removeAuthorizedClient(KeycloakClients.LOGIN, login, request, response);
		}
		SecurityContextLogoutHandler endLogin = new SecurityContextLogoutHandler();
		endLogin.setInvalidateHttpSession(false);
		endLogin.logout(request, response, login);
		// A page to come back to, never a live feed (its URL would open as a raw event stream after the login).
		if (!String.valueOf(request.getHeader(HttpHeaders.ACCEPT)).contains(MediaType.TEXT_EVENT_STREAM_VALUE)) {
			returnHere.saveRequest(request, response);
		}
		return "redirect:/oauth2/authorization/" + KeycloakClients.LOGIN;
	}

	private static ModelAndView page(HttpStatus status, String title, String sentence) {
		ModelAndView page = new ModelAndView("trouble");
		page.setStatus(status);
		page.addObject("title", title);
		page.addObject("sentence", sentence);
		return page;
	}

}

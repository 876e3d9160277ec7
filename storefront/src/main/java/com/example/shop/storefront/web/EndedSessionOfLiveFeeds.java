package com.example.shop.storefront.web;

import java.io.IOException;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A live feed outlives the request that opened it: when it ends, the servlet container dispatches the request once
 * more, and Spring Session saves the session again. If the shopper logged out (in this tab or another) while the feed
 * was open, that session is gone from Redis and the save throws "Session was invalidated": nothing is wrong, the
 * feed has ended and the session with it. Said at debug level here instead of as an error with a stack trace.
 */
@Component
class EndedSessionOfLiveFeeds extends OncePerRequestFilter implements Ordered {

	private static final Logger log = LoggerFactory.getLogger(EndedSessionOfLiveFeeds.class);

	@Override
	public int getOrder() {
		// Around Spring Session's filter, which saves the session after the rest of the chain.
		return SessionRepositoryFilter.DEFAULT_ORDER - 1;
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		}
		catch (IllegalStateException ended) {
			if (request.getDispatcherType() != DispatcherType.ASYNC || !"Session was invalidated".equals(ended.getMessage())) {
				throw ended;
			}
			log.debug("The session of {} ended while its live feed was open", request.getRequestURI());
		}
	}

}

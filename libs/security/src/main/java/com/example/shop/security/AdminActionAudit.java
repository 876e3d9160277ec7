package com.example.shop.security;

import java.io.IOException;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * One log line per change an admin makes (product and stock writes, dead-letter replay and discard, any write
 * that needs the role): who, what, on what, and how it ended. The trace id comes with the log pattern, so the line
 * leads to the request's whole trace.
 * <p>
 * A filter rather than a call in each controller: every write an admin makes is audited, including ones added
 * later, and services whose admin endpoints live in a library (the dead-letter API) need no code for it. The
 * logger is {@code audit}, so operators can route these lines to a store of their own.
 */
final class AdminActionAudit extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger("audit");

	private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		}
		finally {
			Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
			if (!READS.contains(request.getMethod()) && authentication instanceof JwtAuthenticationToken
					&& Caller.of(authentication).isAdmin()) {
				log.info("audit subject={} action={} target={} status={}", authentication.getName(),
						request.getMethod(), request.getRequestURI(), response.getStatus());
			}
		}
	}

}

package com.example.shop.web.problem;

import java.io.IOException;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, with problem+json and before anything else in the service sees the request, what no endpoint can
 * handle and what today makes the service throw: a method outside the ones REST endpoints use (405), a request
 * target that is not well-formed UTF-8 or hides control characters (400, {@link RequestTargetCheck}) and a body
 * whose Content-Type is a wildcard or unparseable (415, {@link BodyContentTypeCheck}), and an Accept header that
 * cannot be parsed (400, {@link AcceptHeaderCheck}).
 * <p>
 * Registered first of all filters (see {@link WebProblemsAutoConfiguration}) because a later filter that
 * merely reads a parameter would already make Tomcat throw. It never reads parameters or the body itself.
 */
public class EdgeRequestFilter extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(EdgeRequestFilter.class);

	/**
	 * What REST endpoints answer. TRACE would echo the request (cookies, authorization) back, CONNECT asks for a
	 * tunnel, and anything else is not HTTP any endpoint of ours speaks.
	 */
	static final Set<String> ALLOWED_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

	static final String ALLOW = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

	/** Method names quoted back in a detail; Tomcat allows any token, which may be long. */
	private static final Pattern QUOTABLE_METHOD = Pattern.compile("[A-Za-z-]{1,20}");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!ALLOWED_METHODS.contains(request.getMethod())) {
			response.setHeader(HttpHeaders.ALLOW, ALLOW);
			refuse(request, response, methodNotAllowed(request));
			return;
		}
		ProblemDetail problem = RequestTargetCheck.check(request);
		if (problem == null) {
			problem = BodyContentTypeCheck.check(request);
		}
		if (problem == null) {
			problem = AcceptHeaderCheck.check(request);
		}
		if (problem != null) {
			refuse(request, response, problem);
			return;
		}
		chain.doFilter(request, response);
	}

	static ProblemDetail methodNotAllowed(HttpServletRequest request) {
		String method = request.getMethod();
		String detail = QUOTABLE_METHOD.matcher(method).matches()
				? "The method " + method + " is not supported; use one of " + ALLOW
				: "The method is not supported; use one of " + ALLOW;
		return ProblemResponses.problem(HttpStatus.METHOD_NOT_ALLOWED, ProblemTypes.METHOD_NOT_ALLOWED,
				HttpStatus.METHOD_NOT_ALLOWED.getReasonPhrase(), detail, request.getRequestURI());
	}

	private static void refuse(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
			throws IOException {
		// The client's mistake, not an incident: not worth more than a debug line (and the raw target is not
		// logged, it may carry the very bytes refused here).
		log.debug("Refused a {} request with {}: {}", request.getMethod(), problem.getStatus(), problem.getDetail());
		ProblemResponses.write(response, problem);
	}

}

package com.example.shop.web.problem;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;

/**
 * Writes a problem+json response where Spring MVC is not (yet) involved: the edge filter, which runs before
 * the DispatcherServlet, and Tomcat's error report valve, which runs outside the application context. Both
 * serialize the same {@link ProblemDetail} the MVC handler returns, with the mixin Spring MVC applies to it,
 * so a client cannot tell which layer answered. Public for the security library's 401 and 403, written by
 * Spring Security's filters, also before MVC.
 */
public final class ProblemResponses {

	/**
	 * A mapper of its own: the valve is created by Tomcat from a class name and cannot reach the application
	 * context, and a {@code ProblemDetail} needs nothing the application may have configured.
	 */
	private static final JsonMapper JSON = JsonMapper.builder()
		.addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class)
		.build();

	private ProblemResponses() {
	}

	/** A problem with every field {@code ProblemDetailsHandler} fills, so the shapes cannot drift. */
	public static ProblemDetail problem(HttpStatusCode status, URI type, String title, String detail, String requestUri) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(type);
		problem.setTitle(title);
		problem.setInstance(instance(requestUri));
		return problem;
	}

	public static void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
		byte[] body = JSON.writeValueAsBytes(problem);
		response.setStatus(problem.getStatus());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
		response.flushBuffer();
	}

	/**
	 * The request URI as sent (still percent-encoded, so it echoes no decoded bytes), or {@code /} when it is
	 * not even a syntactically valid URI reference (Tomcat's rejections of unparseable request lines).
	 */
	private static URI instance(String requestUri) {
		if (requestUri == null || requestUri.isEmpty() || !requestUri.startsWith("/")
				|| ControlCharacters.containsAny(requestUri)) {
			return URI.create("/");
		}
		try {
			return new URI(requestUri);
		}
		catch (URISyntaxException ex) {
			return URI.create("/");
		}
	}

}

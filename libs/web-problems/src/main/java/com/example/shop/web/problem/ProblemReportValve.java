package com.example.shop.web.problem;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * Tomcat's error report, as problem+json instead of an HTML page. Tomcat answers some requests itself before
 * any filter runs (a path that does not decode, such as {@code %c0%ae}; a character the request line must not
 * carry unencoded, such as {@code [} in the query; a request with no mapped context); clients and the gateway
 * should see the same error shape for those as for everything else.
 * <p>
 * Only {@link #report} is replaced, so Tomcat's rules for when to report stay as they are. It leaks no more than
 * the HTML page with Boot's defaults did: no exception, no server version, not even Tomcat's message, which may
 * quote the rejected input.
 */
public class ProblemReportValve extends ErrorReportValve {

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		// The same conditions as the valve it replaces: an error, nothing written yet, reported once.
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		AtomicBoolean ioAllowed = new AtomicBoolean(false);
		response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
		if (!ioAllowed.get()) {
			return; // the connection is gone: nobody would read the report
		}
		ProblemDetail problem = problem(request, response, status);
		try {
			ProblemResponses.write(response, problem);
		}
		catch (IOException | IllegalStateException ex) {
			// The client went away while the report was written: nothing left to tell it.
		}
	}

	private static ProblemDetail problem(Request request, Response response, int status) {
		if (status == 400) {
			// Tomcat refuses a path that does not decode (%FF, %C0%AE, %00) itself: say what is wrong with it as
			// the edge filter does for the query. Null when the request line was too broken to say more.
			ProblemDetail precise = RequestTargetCheck.check(request);
			if (precise != null) {
				return precise;
			}
		}
		if (status == 501 && !EdgeRequestFilter.ALLOWED_METHODS.contains(request.getMethod())) {
			// Tomcat answers CONNECT with 501 before any filter. A method we do not serve is the client's
			// error, and a 5xx must only ever mean the service failed.
			response.setHeader(HttpHeaders.ALLOW, EdgeRequestFilter.ALLOW);
			return EdgeRequestFilter.methodNotAllowed(request);
		}
		HttpStatusCode code = HttpStatusCode.valueOf(status);
		HttpStatus known = HttpStatus.resolve(status);
		return ProblemResponses.problem(code, ProblemTypes.forStatus(code),
				(known != null) ? known.getReasonPhrase() : "Error", detail(code, known), request.getRequestURI());
	}

	private static String detail(HttpStatusCode status, HttpStatus known) {
		if (status.value() == 400) {
			return "The request is not valid HTTP: the request line, path, query or a header is malformed "
					+ "(for example a character that must be percent-encoded, or a percent-encoding that is not UTF-8)";
		}
		String reason = (known != null) ? known.getReasonPhrase() : "Error";
		return "The web server answered " + status.value() + " " + reason + " before the request reached the service";
	}

}

package com.example.shop.web.problem;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every exception that reaches Spring MVC into one RFC 9457 {@code application/problem+json} shape:
 * {@code type, title, status, detail, instance} and, for validation failures, {@code errors: [{field, message}]}.
 * <p>
 * The framework's own exceptions are mapped by {@link ResponseEntityExceptionHandler}; this class refines
 * the ones a client causes (so they say which field or parameter is wrong), maps the application's
 * {@link ProblemException}s, answers a failure of a dependency (database, broker, downstream) with a 503 and a
 * {@code Retry-After}, and anything unexpected with a 500 that leaks nothing but is logged with its stack trace.
 * The gateway's circuit breaker relies on that split: 503 is the service's dependency failing, 500 is a bug in
 * handling one request.
 * <p>
 * It is ordered last among advices: a service's own {@code @RestControllerAdvice} must declare an
 * {@code @Order} above {@code Ordered.LOWEST_PRECEDENCE} to be asked first, because this class also
 * catches {@link Exception}.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ProblemDetailsHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemDetailsHandler.class);

	private static final String VALIDATION_TITLE = "Invalid request";

	/**
	 * Seconds a client (or the gateway) should wait before retrying after a dependency failed: long enough for
	 * a connection pool to recover from a blip, short enough that nobody gives up on a working service.
	 */
	static final int RETRY_AFTER_SECONDS = 5;

	/** Tomcat's, when a form body does not decode; matched by name so the handler does not need Tomcat. */
	private static final String TOMCAT_INVALID_PARAMETER = "org.apache.tomcat.util.http.InvalidParameterException";

	/** Echoed client values are cut to this length so a huge parameter does not come back in full. */
	private static final int MAX_ECHOED_VALUE = 64;

	// ---- application problems ----------------------------------------------------------------

	@ExceptionHandler(ProblemException.class)
	public ResponseEntity<Object> handleProblem(ProblemException ex, WebRequest request) {
		ProblemDetail body = ProblemDetail.forStatusAndDetail(ex.getStatus(), ex.getDetail());
		body.setType(ex.getType());
		body.setTitle(ex.getTitle());
		if (!ex.getErrors().isEmpty()) {
			body.setProperty("errors", ex.getErrors());
		}
		return respond(ex, body, new HttpHeaders(), ex.getStatus(), request);
	}

	// ---- validation ---------------------------------------------------------------------------

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<InvalidField> errors = new ArrayList<>();
		for (FieldError error : ex.getBindingResult().getFieldErrors()) {
			errors.add(new InvalidField(error.getField(), message(error)));
		}
		for (ObjectError error : ex.getBindingResult().getGlobalErrors()) {
			errors.add(new InvalidField(error.getObjectName(), message(error)));
		}
		return validationProblem(ex, errors, headers, request);
	}

	@Override
	protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		if (ex.isForReturnValue() || !status.is4xxClientError()) {
			// An invalid return value is the server's fault, not the client's.
			return unexpected(ex, request);
		}
		List<InvalidField> errors = new ArrayList<>();
		for (ParameterValidationResult result : ex.getParameterValidationResults()) {
			if (result instanceof ParameterErrors parameterErrors && parameterErrors.hasFieldErrors()) {
				for (FieldError error : parameterErrors.getFieldErrors()) {
					errors.add(new InvalidField(error.getField(), message(error)));
				}
				continue;
			}
			String name = parameterName(result);
			for (MessageSourceResolvable error : result.getResolvableErrors()) {
				errors.add(new InvalidField(name, message(error)));
			}
		}
		for (MessageSourceResolvable error : ex.getCrossParameterValidationResults()) {
			errors.add(new InvalidField("", message(error)));
		}
		return validationProblem(ex, errors, headers, request);
	}

	/** Raised by {@code @Validated} beans (method validation outside the MVC handler method itself). */
	@ExceptionHandler(ConstraintViolationException.class)
	public ResponseEntity<Object> handleConstraintViolation(ConstraintViolationException ex, WebRequest request) {
		List<InvalidField> errors = ex.getConstraintViolations()
			.stream()
			.map(violation -> new InvalidField(propertyPath(violation), violation.getMessage()))
			.toList();
		return validationProblem(ex, errors, new HttpHeaders(), request);
	}

	@Override
	protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		String name = (ex instanceof MethodArgumentTypeMismatchException mismatch) ? mismatch.getName()
				: ex.getPropertyName();
		String expected = describe(ex.getRequiredType());
		List<InvalidField> errors = List.of(new InvalidField(name, "must be " + expected));
		ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"Parameter '" + name + "' must be " + expected + " but was '" + echo(ex.getValue()) + "'");
		return validationProblem(ex, body, errors, headers, request);
	}

	@Override
	protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<InvalidField> errors = List.of(new InvalidField(ex.getParameterName(), "is required"));
		ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"Required parameter '" + ex.getParameterName() + "' is missing");
		return validationProblem(ex, body, errors, headers, request);
	}

	// ---- unreadable bodies --------------------------------------------------------------------

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		JacksonException jackson = findCause(ex, JacksonException.class);
		if (jackson != null && !(jackson instanceof StreamReadException) && !jackson.getPath().isEmpty()) {
			// The JSON parsed, but a value does not fit its field: say which one.
			String field = jsonPath(jackson.getPath());
			String problem = valueProblem(jackson);
			ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
					"Field '" + field + "' " + problem);
			return validationProblem(ex, body, List.of(new InvalidField(field, problem)), headers, request);
		}
		String detail = "The request body is missing or is not valid JSON";
		if (jackson != null && jackson.getLocation() != null) {
			TokenStreamLocation location = jackson.getLocation();
			detail += " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
		}
		ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
		body.setType(ProblemTypes.MALFORMED_REQUEST);
		body.setTitle("Malformed request body");
		return respond(ex, body, headers, HttpStatus.BAD_REQUEST, request);
	}

	// ---- unknown paths ------------------------------------------------------------------------

	@Override
	protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
				"No resource at " + ex.getHttpMethod() + " /" + ex.getResourcePath());
		return respond(ex, body, headers, HttpStatus.NOT_FOUND, request);
	}

	// ---- everything else ----------------------------------------------------------------------

	@ExceptionHandler(Exception.class)
	public ResponseEntity<Object> handleUnexpected(Exception ex, WebRequest request) {
		if (DependencyFailures.isDependencyFailure(ex)) {
			return unavailable(ex, request);
		}
		if (TOMCAT_INVALID_PARAMETER.equals(ex.getClass().getName())) {
			// The edge filter refuses a query that does not decode; a form body is only parsed here.
			ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
					"A form parameter could not be decoded");
			body.setType(ProblemTypes.INVALID_ENCODING);
			body.setTitle("Invalid percent-encoding");
			return respond(ex, body, new HttpHeaders(), HttpStatus.BAD_REQUEST, request);
		}
		ResponseStatus declared = AnnotatedElementUtils.findMergedAnnotation(ex.getClass(), ResponseStatus.class);
		if (declared != null && declared.code().is4xxClientError()) {
			// An exception that declares its own client status keeps it (its reason is meant for clients).
			String detail = declared.reason().isEmpty() ? declared.code().getReasonPhrase() : declared.reason();
			ProblemDetail body = ProblemDetail.forStatusAndDetail(declared.code(), detail);
			return respond(ex, body, new HttpHeaders(), declared.code(), request);
		}
		return unexpected(ex, request);
	}

	/**
	 * Every response goes through here: fills the fields RFC 9457 asks for that the framework leaves blank
	 * and logs by severity.
	 */
	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		if (statusCode.value() == HttpStatus.SERVICE_UNAVAILABLE.value()) {
			// Per request and without a stack trace: during an outage every request fails the same way, the
			// trace adds nothing but volume, and the cause (a dependency) is not in our code. A WARN per request
			// keeps each failure findable by its trace id; alerting belongs to the dependency's health check.
			log.warn("Request {} failed, a dependency is unavailable: {}", describe(request), rootCause(ex));
		}
		else if (statusCode.is5xxServerError()) {
			log.error("Request {} failed", describe(request), ex);
		}
		else {
			log.debug("Request {} rejected with {}: {}", describe(request), statusCode.value(), ex.toString());
		}
		ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
		if (response != null && response.getBody() instanceof ProblemDetail problem) {
			complete(problem, statusCode, request);
		}
		return response;
	}

	// ---- helpers ------------------------------------------------------------------------------

	private ResponseEntity<Object> unexpected(Exception ex, WebRequest request) {
		ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
				"The server could not complete the request. The error has been logged.");
		body.setType(ProblemTypes.INTERNAL);
		String traceId = MDC.get("traceId");
		if (traceId != null) {
			// Lets an operator find the logged stack trace without exposing it.
			body.setProperty("traceId", traceId);
		}
		return respond(ex, body, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, request);
	}

	private ResponseEntity<Object> unavailable(Exception ex, WebRequest request) {
		ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"The service cannot reach a system it depends on. Retry in a few seconds.");
		body.setType(ProblemTypes.SERVICE_UNAVAILABLE);
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS));
		return respond(ex, body, headers, HttpStatus.SERVICE_UNAVAILABLE, request);
	}

	private ResponseEntity<Object> validationProblem(Exception ex, List<InvalidField> errors, HttpHeaders headers,
			WebRequest request) {
		String fields = errors.stream().map(InvalidField::field).distinct().sorted().toList().toString();
		ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"Request has " + errors.size() + " invalid value(s): " + fields);
		return validationProblem(ex, body, errors, headers, request);
	}

	private ResponseEntity<Object> validationProblem(Exception ex, ProblemDetail body, List<InvalidField> errors,
			HttpHeaders headers, WebRequest request) {
		body.setType(ProblemTypes.VALIDATION);
		body.setTitle(VALIDATION_TITLE);
		// Stable order, so clients and tests see the same array for the same input.
		body.setProperty("errors", errors.stream()
			.sorted(Comparator.comparing(InvalidField::field).thenComparing(InvalidField::message))
			.toList());
		return respond(ex, body, headers, HttpStatus.BAD_REQUEST, request);
	}

	private ResponseEntity<Object> respond(Exception ex, ProblemDetail body, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		ResponseEntity<Object> response = handleExceptionInternal(ex, body, headers, status, request);
		// null only when the response was already committed; nothing more can be sent then.
		return (response != null) ? response : ResponseEntity.status(status).build();
	}

	private static void complete(ProblemDetail problem, HttpStatusCode status, WebRequest request) {
		if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
			problem.setType(ProblemTypes.forStatus(status));
		}
		if (problem.getTitle() == null) {
			HttpStatus known = HttpStatus.resolve(status.value());
			problem.setTitle(known != null ? known.getReasonPhrase() : "Error");
		}
		if (problem.getInstance() == null && request instanceof ServletWebRequest servlet) {
			problem.setInstance(URI.create(servlet.getRequest().getRequestURI()));
		}
	}

	private static String describe(WebRequest request) {
		if (request instanceof ServletWebRequest servlet) {
			HttpServletRequest http = servlet.getRequest();
			return http.getMethod() + " " + http.getRequestURI();
		}
		return request.getDescription(false);
	}

	private static String message(MessageSourceResolvable error) {
		return (error.getDefaultMessage() != null) ? error.getDefaultMessage() : "is invalid";
	}

	private static String parameterName(ParameterValidationResult result) {
		RequestParam param = result.getMethodParameter().getParameterAnnotation(RequestParam.class);
		if (param != null && !param.name().isEmpty()) {
			return param.name();
		}
		PathVariable path = result.getMethodParameter().getParameterAnnotation(PathVariable.class);
		if (path != null && !path.name().isEmpty()) {
			return path.name();
		}
		RequestHeader header = result.getMethodParameter().getParameterAnnotation(RequestHeader.class);
		if (header != null && !header.name().isEmpty()) {
			return header.name();
		}
		String name = result.getMethodParameter().getParameterName();
		return (name != null) ? name : "arg" + result.getMethodParameter().getParameterIndex();
	}

	/** {@code search.size} -> {@code size}; {@code create.request.items[0].quantity} -> {@code items[0].quantity}. */
	private static String propertyPath(ConstraintViolation<?> violation) {
		List<Path.Node> nodes = new ArrayList<>();
		violation.getPropertyPath().forEach(nodes::add);
		int start = 0;
		if (!nodes.isEmpty() && (nodes.get(0).getKind() == ElementKind.METHOD
				|| nodes.get(0).getKind() == ElementKind.CONSTRUCTOR)) {
			start = 1;
		}
		if (nodes.size() > start + 1 && nodes.get(start).getKind() == ElementKind.PARAMETER) {
			start++; // the parameter is a bean: name its property, as for a body
		}
		StringBuilder path = new StringBuilder();
		for (Path.Node node : nodes.subList(start, nodes.size())) {
			if (node.getName() == null || node.getKind() == ElementKind.CONTAINER_ELEMENT) {
				continue;
			}
			if (!path.isEmpty()) {
				path.append('.');
			}
			path.append(node.getName());
			if (node.getIndex() != null) {
				path.append('[').append(node.getIndex()).append(']');
			}
			else if (node.getKey() != null) {
				path.append('[').append(node.getKey()).append(']');
			}
		}
		return path.toString();
	}

	private static String jsonPath(List<JacksonException.Reference> references) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : references) {
			if (reference.getPropertyName() != null) {
				if (!path.isEmpty()) {
					path.append('.');
				}
				path.append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.toString();
	}

	private static String valueProblem(JacksonException ex) {
		if (ex instanceof UnrecognizedPropertyException) {
			return "is not a known property";
		}
		if (ex instanceof ControlCharacterInStringException) {
			return "contains a control character";
		}
		if (ex instanceof InvalidFormatException invalid) {
			return "must be " + describe(invalid.getTargetType()) + " but was '" + echo(invalid.getValue()) + "'";
		}
		if (ex instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
			return "must be " + describe(mismatched.getTargetType());
		}
		return "has an invalid value";
	}

	/** A type as a client would name it: "a number", "a UUID", "one of [A, B]". */
	private static String describe(Class<?> type) {
		if (type == null) {
			return "a valid value";
		}
		if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class && type != char.class)) {
			return "a number";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "true or false";
		}
		if (type == String.class || type == Character.class || type == char.class) {
			return "a string";
		}
		if (type == java.util.UUID.class) {
			return "a UUID";
		}
		if (type.isEnum()) {
			return "one of " + java.util.Arrays.toString(type.getEnumConstants());
		}
		if (type.isArray() || Collection.class.isAssignableFrom(type)) {
			return "an array";
		}
		if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
			return "an ISO-8601 " + type.getSimpleName();
		}
		if (Map.class.isAssignableFrom(type) || type.isRecord()) {
			return "an object";
		}
		return "a valid " + type.getSimpleName();
	}

	private static String echo(Object value) {
		String text = String.valueOf(value);
		return (text.length() > MAX_ECHOED_VALUE) ? text.substring(0, MAX_ECHOED_VALUE) + "..." : text;
	}

	/** The innermost cause, which names the dependency and what went wrong with it. */
	private static String rootCause(Throwable ex) {
		Throwable root = ex;
		for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 16; depth++) {
			root = root.getCause();
		}
		return (root == ex) ? ex.toString() : ex.getClass().getName() + " caused by " + root;
	}

	private static <T extends Throwable> T findCause(Throwable ex, Class<T> type) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

}

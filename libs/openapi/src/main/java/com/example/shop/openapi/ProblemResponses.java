package com.example.shop.openapi;

import java.util.List;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;

/**
 * The platform's one error shape in every description: the schema {@code Problem} (RFC 9457, as libs/web-problems
 * and the gateway answer it) and, on every operation, the problem+json answers it gives.
 * <p>
 * An operation names the refusals that are its own ({@code @ApiResponse(responseCode = "409", description = ...)},
 * no content needed: every 4xx and 5xx answer gets the problem+json content, whatever springdoc guessed for it).
 * Where it names none, these are added, as references to the shared responses under {@code components}: 400 and
 * 429 everywhere (bad input reaches every endpoint, the gateway's rate limit counts every call), 401 everywhere (a
 * token that is sent is checked, on anonymous reads too), 403 where a role is needed, 404 where the path names
 * something, 413 and 415 where a body is sent.
 */
final class ProblemResponses {

	static final String PROBLEM_JSON = "application/problem+json";

	static final String PROBLEM = "Problem";

	static final String INVALID_FIELD = "InvalidField";

	private static final String TYPES = "https://shop.example.com/problems/";

	/** The shared answers: status, name under {@code components/responses}, description. */
	private enum Shared {

		BAD_REQUEST("400", "BadRequest", "Invalid input: a parameter, header or field breaks its rule (validation, "
				+ "with errors), the body is not JSON (malformed-request), or the request target is unsafe or badly "
				+ "encoded"),

		UNAUTHORIZED("401", "Unauthorized", "No token where one is needed, or a token that is not accepted (expired, "
				+ "another issuer or audience, a wrong signature): a token that is sent is checked, on anonymous "
				+ "operations too"),

		FORBIDDEN("403", "Forbidden", "The token is valid but lacks the role this operation needs"),

		NOT_FOUND("404", "NotFound", "Nothing with this id"),

		PAYLOAD_TOO_LARGE("413", "PayloadTooLarge", "The body is larger than the gateway takes (1 MB)"),

		UNSUPPORTED_MEDIA_TYPE("415", "UnsupportedMediaType", "The body is not application/json"),

		TOO_MANY_REQUESTS("429", "TooManyRequests",
				"Over the caller's rate limit at the gateway: the request reached no service");

		final String status;

		final String name;

		final String description;

		Shared(String status, String name, String description) {
			this.status = status;
			this.name = name;
			this.description = description;
		}

		ApiResponse reference() {
			return new ApiResponse().$ref("#/components/responses/" + this.name);
		}

	}

	private ProblemResponses() {
	}

	static void addComponents(Components components) {
		components.addSchemas(INVALID_FIELD, new ObjectSchema()
			.description("One input that broke a rule")
			.addProperty("field", new StringSchema().description(
					"A JSON path into the body (items[2].quantity), a query parameter or a header name"))
			.addProperty("message", new StringSchema().description("What is wrong with it, for a person"))
			.required(List.of("field", "message")));
		components.addSchemas(PROBLEM, new ObjectSchema()
			.description("An RFC 9457 problem: every error of the API has this shape")
			.addProperty("type", new StringSchema().format("uri").description("What kind of problem, "
					+ TYPES + "<slug> (validation, malformed-request, unauthorized, forbidden, not-found, conflict, "
					+ "unprocessable, too-many-requests, service-unavailable, ...): clients may branch on it"))
			.addProperty("title", new StringSchema().description("A short summary of the kind"))
			.addProperty("status", new IntegerSchema().description("The HTTP status"))
			.addProperty("detail", new StringSchema()
				.description("This occurrence, for a person; never internals or the token"))
			.addProperty("instance", new StringSchema().format("uri-reference").description("The path requested"))
			.addProperty("errors", new ArraySchema().items(reference(INVALID_FIELD))
				.description("The inputs that broke a rule, for validation and some business refusals"))
			.addProperty("requestId", new StringSchema()
				.description("The X-Request-Id, on the refusals the gateway makes itself (401, 403, 429, 502-504)"))
			.required(List.of("type", "title", "status")));
		for (Shared shared : Shared.values()) {
			components.addResponses(shared.name, problem(shared.description));
		}
		components.getResponses().get(Shared.UNAUTHORIZED.name).addHeaderObject("WWW-Authenticate",
				new Header().schema(new StringSchema())
					.description("Bearer; with error=\"invalid_token\" and a description when a token was refused"));
		components.getResponses().get(Shared.TOO_MANY_REQUESTS.name).addHeaderObject("Retry-After",
				new Header().schema(new IntegerSchema()).description("Seconds to wait before calling again"));
	}

	/**
	 * @param anonymous whether the operation needs no token
	 * @param namesSomething whether its path has a variable ({id}): it may name what does not exist
	 */
	static void describe(Operation operation, boolean anonymous, boolean namesSomething) {
		ApiResponses responses = operation.getResponses();
		if (responses == null) {
			responses = new ApiResponses();
			operation.setResponses(responses);
		}
		responses.forEach((status, response) -> {
			if (response.get$ref() == null && (status.startsWith("4") || status.startsWith("5"))) {
				response.setContent(problemContent());
			}
		});
		addIfAbsent(responses, Shared.BAD_REQUEST);
		addIfAbsent(responses, Shared.UNAUTHORIZED);
		if (!anonymous) {
			addIfAbsent(responses, Shared.FORBIDDEN);
		}
		if (namesSomething) {
			addIfAbsent(responses, Shared.NOT_FOUND);
		}
		if (operation.getRequestBody() != null) {
			addIfAbsent(responses, Shared.PAYLOAD_TOO_LARGE);
			addIfAbsent(responses, Shared.UNSUPPORTED_MEDIA_TYPE);
		}
		addIfAbsent(responses, Shared.TOO_MANY_REQUESTS);
	}

	private static void addIfAbsent(ApiResponses responses, Shared shared) {
		if (!responses.containsKey(shared.status)) {
			responses.addApiResponse(shared.status, shared.reference());
		}
	}

	private static ApiResponse problem(String description) {
		return new ApiResponse().description(description).content(problemContent());
	}

	private static Content problemContent() {
		return new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(reference(PROBLEM)));
	}

	private static Schema<?> reference(String schema) {
		return new Schema<>().$ref("#/components/schemas/" + schema);
	}

}

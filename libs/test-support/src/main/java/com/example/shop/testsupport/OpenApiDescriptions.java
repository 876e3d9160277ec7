package com.example.shop.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * docs/openapi/&lt;service&gt;.json is the description the service serves, not a copy that drifts: a service's test
 * fetches its {@code /v3/api-docs} and hands it to {@link #assertCommitted}, which fails when the file differs and
 * says how to rewrite it. With {@code -Dopenapi.write=true} it writes the file instead.
 * <p>
 * The file is the description in one layout, whatever order springdoc wrote it in: every object's keys sorted, two
 * spaces of indent, one array element a line, a newline at the end. So a diff of the file shows what changed in the
 * API, and tools/openapi/check compares it with the previous commit's.
 */
public final class OpenApiDescriptions {

	/**
	 * The realm's public issuer, which the description names for the login ({@code shop.security.issuer-uri}'s
	 * default). A test that checks the description sets it, so that the file does not name the test's own issuer
	 * ({@link Infrastructure#TOKENS}) or a machine's {@code SHOP_ISSUER_URI}.
	 */
	public static final String PUBLIC_ISSUER = "shop.security.issuer-uri=http://127.0.0.1:8180/realms/shop";

	/**
	 * The gateway's address on a developer's machine ({@code shop.openapi.gateway-url}'s default), for the same
	 * reason.
	 */
	public static final String PUBLIC_GATEWAY = "shop.openapi.gateway-url=http://localhost:8080";

	static final String WRITE = "openapi.write";

	private static final JsonMapper JSON = JsonMapper.shared();

	private OpenApiDescriptions() {
	}

	/**
	 * @param service the service's name, also its file's: docs/openapi/{service}.json
	 * @param served what the service answered at {@code /v3/api-docs}
	 * @throws AssertionError when the file is missing or differs (unless {@code -Dopenapi.write=true})
	 */
	public static void assertCommitted(String service, String served) {
		assertCommitted(service, served, Boolean.getBoolean(WRITE));
	}

	static void assertCommitted(String service, String served, boolean write) {
		Path file = file(service);
		String expected = layout(served);
		if (write) {
			write(file, expected);
			return;
		}
		String committed = read(file);
		if (!expected.equals(committed)) {
			throw new AssertionError("docs/openapi/" + service + ".json is not the description " + service
					+ " serves (" + firstDifference(committed, expected) + ").\nIf the API change is meant, rewrite "
					+ "the file and review its diff:\n  ./mvnw -pl " + service + " -am test "
					+ "-Dtest=OpenApiDescriptionTests -Dsurefire.failIfNoSpecifiedTests=false -D" + WRITE + "=true\n"
					+ "A breaking change also raises the major number of its info.version (docs/openapi/README.md).");
		}
	}

	/** The layout of the committed files. */
	static String layout(String json) {
		Separators separators = Separators.createDefaultInstance()
			.withObjectNameValueSpacing(Separators.Spacing.AFTER)
			.withObjectEmptySeparator("")
			.withArrayEmptySeparator("");
		DefaultPrettyPrinter printer = new DefaultPrettyPrinter(separators);
		DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
		printer.indentObjectsWith(indenter);
		printer.indentArraysWith(indenter);
		return JSON.writer().with(printer).writeValueAsString(sorted(JSON.readTree(json))) + "\n";
	}

	/** The docs/openapi directory is found by its README, which is there before any service's file. */
	static Path file(String service) {
		return RepositoryFiles.path("docs/openapi/README.md").resolveSibling(service + ".json");
	}

	private static JsonNode sorted(JsonNode node) {
		if (node instanceof ObjectNode object) {
			ObjectNode result = JSON.createObjectNode();
			new TreeSet<>(object.propertyNames()).forEach(name -> result.set(name, sorted(object.get(name))));
			return result;
		}
		if (node instanceof ArrayNode array) {
			ArrayNode result = JSON.createArrayNode();
			array.forEach(element -> result.add(sorted(element)));
			return result;
		}
		return node;
	}

	private static String firstDifference(String committed, String served) {
		if (committed == null) {
			return "there is no such file yet";
		}
		List<String> before = committed.lines().toList();
		List<String> now = served.lines().toList();
		for (int line = 0; line < Math.max(before.size(), now.size()); line++) {
			String was = (line < before.size()) ? before.get(line) : "(end of file)";
			String is = (line < now.size()) ? now.get(line) : "(end of description)";
			if (!was.equals(is)) {
				return "first at line " + (line + 1) + ": the file has '" + was.strip() + "', the service '"
						+ is.strip() + "'";
			}
		}
		return "they differ in line endings only";
	}

	private static String read(Path file) {
		try {
			return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void write(Path file, String content) {
		try {
			Files.writeString(file, content, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openapitools.openapidiff.core.OpenApiCompare;
import org.openapitools.openapidiff.core.model.ChangedOpenApi;
import org.openapitools.openapidiff.core.output.ConsoleRender;

/**
 * tools/openapi/check's Java half (run in one JVM with openapi-diff on the classpath, so all files and the selftest
 * take one start): whether each of docs/openapi/*.json breaks its clients compared with the same file before.
 *
 * <pre>
 *   java OpenApiCheck.java &lt;before-dir&gt; &lt;now-dir&gt; &lt;description.json&gt;
 * </pre>
 *
 * checks each now/X.json against before/X.json, then runs the selftest on a copy of the one description named:
 * changes the check must refuse, and changes it must accept.
 *
 * A change openapi-diff calls incompatible (an operation or a response status removed, a type changed, a required
 * parameter, header or body property added, ...) fails, and so does a property removed from what an answer carries
 * ({@link #removedAnswerProperties}: openapi-diff lets that pass, as the descriptions' answer properties are not
 * marked required, although the services always send every one), unless the file's info.version has a higher major
 * number than before: a breaking change is allowed when it says so. Exit status 1 on failure.
 */
public class OpenApiCheck {

	private static final ObjectMapper JSON = new ObjectMapper();

	public static void main(String[] args) throws IOException {
		if (args.length != 3) {
			System.err.println("usage: OpenApiCheck <before-dir> <now-dir> <description.json for the selftest>");
			System.exit(2);
		}
		System.out.println("==> each description against the one before");
		boolean compatible = check(Path.of(args[0]), Path.of(args[1]));
		System.out.println("==> selftest: changes to a copy of " + Path.of(args[2]).getFileName()
				+ " the check must refuse or accept");
		boolean selftested = selftest(Path.of(args[2]));
		System.exit((compatible && selftested) ? 0 : 1);
	}

	/** The verdict on one file. */
	record Verdict(boolean passes, String summary, String changes) {
	}

	static boolean check(Path before, Path now) throws IOException {
		boolean passes = true;
		List<Path> files;
		try (Stream<Path> listed = Files.list(now)) {
			files = listed.filter(file -> file.getFileName().toString().endsWith(".json")).sorted().toList();
		}
		for (Path file : files) {
			String name = file.getFileName().toString();
			Path earlier = before.resolve(name);
			if (!Files.isRegularFile(earlier)) {
				System.out.println("    " + name + ": new, nothing to compare with");
				continue;
			}
			Verdict verdict = judge(Files.readString(earlier, StandardCharsets.UTF_8),
					Files.readString(file, StandardCharsets.UTF_8));
			System.out.println("    " + name + ": " + verdict.summary());
			if (!verdict.changes().isEmpty()) {
				System.out.println(verdict.changes().indent(6));
			}
			passes &= verdict.passes();
		}
		return passes;
	}

	static Verdict judge(String before, String now) {
		ChangedOpenApi diff = OpenApiCompare.fromContents(before, now);
		String versions = version(before) + " -> " + version(now);
		List<String> removed = removedAnswerProperties(read(before), read(now));
		if (diff.isUnchanged()) {
			return new Verdict(true, "unchanged (" + version(now) + ")", "");
		}
		if (!diff.isIncompatible() && removed.isEmpty()) {
			return new Verdict(true, "compatible (" + versions + ")", "");
		}
		String changes = (diff.isIncompatible() ? render(diff) : "") + removed.stream()
			.map(property -> "\n- answer property removed: " + property)
			.collect(Collectors.joining());
		changes = changes.strip();
		if (major(now) > major(before)) {
			return new Verdict(true, "breaking, and its major version was raised (" + versions + "): accepted",
					changes);
		}
		return new Verdict(false, "BREAKING for its clients (" + versions + "): keep the old shape beside the new one, "
				+ "or raise info.version's major number (docs/openapi/README.md)", changes);
	}

	/**
	 * The properties an answer had before and has no more, wherever an operation, status and media type are in both
	 * descriptions: "GET /api/products 200 application/json: content[].sku". A client reading it breaks, and a
	 * renamed property is one removed.
	 */
	static List<String> removedAnswerProperties(JsonNode before, JsonNode now) {
		List<String> removed = new ArrayList<>();
		before.path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
			JsonNode nowResponses = now.path("paths").path(path.getKey()).path(operation.getKey()).path("responses");
			operation.getValue().path("responses").properties().forEach(status -> {
				JsonNode beforeContent = resolve(before, status.getValue()).path("content");
				JsonNode nowContent = resolve(now, nowResponses.path(status.getKey())).path("content");
				beforeContent.properties().forEach(media -> {
					if (nowContent.has(media.getKey())) {
						String where = operation.getKey().toUpperCase() + " " + path.getKey() + " " + status.getKey()
								+ " " + media.getKey() + ": ";
						compare(before, media.getValue().path("schema"), now,
								nowContent.path(media.getKey()).path("schema"), where, "", new HashSet<>(), removed);
					}
				});
			});
		}));
		return removed;
	}

	private static void compare(JsonNode beforeDoc, JsonNode beforeSchema, JsonNode nowDoc, JsonNode nowSchema,
			String where, String at, Set<String> seen, List<String> removed) {
		JsonNode was = resolve(beforeDoc, beforeSchema);
		JsonNode is = resolve(nowDoc, nowSchema);
		if (!seen.add(at + "|" + beforeSchema.path("$ref").asText())) {
			return;
		}
		was.path("properties").properties().forEach(property -> {
			String name = at.isEmpty() ? property.getKey() : at + "." + property.getKey();
			if (!is.path("properties").has(property.getKey())) {
				removed.add(where + name);
			}
			else {
				compare(beforeDoc, property.getValue(), nowDoc, is.path("properties").path(property.getKey()), where,
						name, seen, removed);
			}
		});
		if (was.has("items")) {
			compare(beforeDoc, was.path("items"), nowDoc, is.path("items"), where, at + "[]", seen, removed);
		}
	}

	/** The object a {@code $ref} points to in its description (a local one), or the node itself. */
	private static JsonNode resolve(JsonNode description, JsonNode node) {
		JsonNode resolved = node;
		while (resolved.has("$ref") && resolved.path("$ref").asText().startsWith("#/")) {
			resolved = description.at(resolved.path("$ref").asText().substring(1));
		}
		return resolved;
	}

	private static JsonNode read(String description) {
		try {
			return JSON.readTree(description);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** openapi-diff's own account of the changes, for a person. */
	private static String render(ChangedOpenApi diff) {
		ByteArrayOutputStream text = new ByteArrayOutputStream();
		try (OutputStreamWriter writer = new OutputStreamWriter(text, StandardCharsets.UTF_8)) {
			new ConsoleRender().render(diff, writer);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return text.toString(StandardCharsets.UTF_8).strip();
	}

	/**
	 * Changes made to a copy of a real description: each must get the verdict named, so a check that lets everything
	 * through (or refuses everything) cannot pass unnoticed.
	 */
	static boolean selftest(Path description) throws IOException {
		String original = Files.readString(description, StandardCharsets.UTF_8);
		ObjectNode base = (ObjectNode) JSON.readTree(original);
		String anOperationPath = base.path("paths").fieldNames().next();
		String aString = firstPlainStringProperty(base);
		List<String> failures = new ArrayList<>();
		expect(failures, false, "an endpoint removed (" + anOperationPath + ")", original,
				copy -> ((ObjectNode) copy.path("paths")).remove(anOperationPath));
		expect(failures, false, "a property's type changed (" + aString + " from string to integer)", original,
				copy -> ((ObjectNode) copy.at(aString)).put("type", "integer"));
		String answerProperty = firstAnswerProperty(base);
		expect(failures, false, "an answer's property renamed (" + answerProperty + ")", original, copy -> {
			ObjectNode properties = (ObjectNode) copy.at(answerProperty.substring(0, answerProperty.lastIndexOf('/')));
			properties.set("renamed", properties.remove(answerProperty.substring(answerProperty.lastIndexOf('/') + 1)));
		});
		expect(failures, false, "a required query parameter added to every operation", original,
				copy -> operations(copy).forEach(operation -> {
					ArrayNode parameters = operation.has("parameters") ? (ArrayNode) operation.get("parameters")
							: operation.putArray("parameters");
					parameters.addObject().put("name", "mustSend").put("in", "query").put("required", true)
						.putObject("schema").put("type", "string");
				}));
		expect(failures, true, "the endpoint removed, with info.version's major number raised", original, copy -> {
			((ObjectNode) copy.path("paths")).remove(anOperationPath);
			((ObjectNode) copy.path("info")).put("version", (major(original) + 1) + ".0.0");
		});
		expect(failures, true, "an endpoint added", original, copy -> ((ObjectNode) copy.path("paths"))
			.set("/api/selftest-new", copy.path("paths").path(anOperationPath).deepCopy()));
		expect(failures, true, "nothing changed", original, copy -> {
		});
		failures.forEach(failure -> System.out.println("    SELFTEST FAILED: " + failure));
		return failures.isEmpty();
	}

	private static void expect(List<String> failures, boolean accepted, String what, String original,
			Consumer<ObjectNode> change) throws IOException {
		ObjectNode copy = (ObjectNode) JSON.readTree(original);
		change.accept(copy);
		Verdict verdict = judge(original, JSON.writeValueAsString(copy));
		String outcome = verdict.passes() ? "accepted" : "refused";
		System.out.println("    " + outcome + ": " + what);
		if (verdict.passes() != accepted) {
			failures.add(what + " was " + outcome + ", not " + (accepted ? "accepted" : "refused"));
		}
	}

	private static List<ObjectNode> operations(JsonNode description) {
		List<ObjectNode> operations = new ArrayList<>();
		description.path("paths").forEach(item -> item.properties().forEach(entry -> {
			if (List.of("get", "put", "post", "delete", "patch", "head", "options").contains(entry.getKey())) {
				operations.add((ObjectNode) entry.getValue());
			}
		}));
		return operations;
	}

	/** The JSON pointer of a property of the first schema that an answer with a 2xx status carries. */
	private static String firstAnswerProperty(JsonNode description) {
		for (ObjectNode operation : operations(description)) {
			for (Map.Entry<String, JsonNode> status : operation.path("responses").properties()) {
				if (!status.getKey().startsWith("2")) {
					continue;
				}
				for (JsonNode media : status.getValue().path("content")) {
					JsonNode schema = media.path("schema");
					String ref = schema.path("$ref").asText(schema.path("items").path("$ref").asText());
					JsonNode answer = ref.isEmpty() ? null : description.at(ref.substring(1));
					if (answer != null && answer.path("properties").size() > 0) {
						return ref.substring(1) + "/properties/" + answer.path("properties").fieldNames().next();
					}
				}
			}
		}
		throw new IllegalStateException("the selftest needs a description with an answer that is an object");
	}

	/**
	 * The JSON pointer of the first property that is a plain string (no format, so only its type tells it apart):
	 * a type change there is seen by a comparison of types, not of formats.
	 */
	private static String firstPlainStringProperty(JsonNode description) {
		for (Map.Entry<String, JsonNode> schema : description.at("/components/schemas").properties()) {
			for (Map.Entry<String, JsonNode> property : schema.getValue().path("properties").properties()) {
				if (property.getValue().path("type").asText().equals("string") && !property.getValue().has("format")) {
					return "/components/schemas/" + schema.getKey() + "/properties/" + property.getKey();
				}
			}
		}
		throw new IllegalStateException("the selftest needs a description with a string property");
	}

	private static String version(String description) {
		try {
			return JSON.readTree(description).path("info").path("version").asText("(none)");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The major number of info.version ("2.1.0" -> 2); 0 when there is none. */
	private static int major(String description) {
		String version = version(description);
		String major = version.split("\\.", 2)[0].replaceAll("[^0-9]", "");
		return major.isEmpty() ? 0 : Integer.parseInt(major);
	}

}

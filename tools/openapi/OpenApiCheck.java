import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * A change openapi-diff calls incompatible (an operation, a parameter's or a property's type, a response field or
 * an enum value removed; a required field, parameter or header added, ...) fails, unless the file's info.version
 * has a higher major number than before: a breaking change is allowed when it says so. Exit status 1 on failure.
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
		if (diff.isUnchanged()) {
			return new Verdict(true, "unchanged (" + version(now) + ")", "");
		}
		if (!diff.isIncompatible()) {
			return new Verdict(true, "compatible (" + versions + ")", "");
		}
		String changes = render(diff);
		if (major(now) > major(before)) {
			return new Verdict(true, "breaking, and its major version was raised (" + versions + "): accepted", changes);
		}
		return new Verdict(false, "BREAKING for its clients (" + versions + "): keep the old shape beside the new one, "
				+ "or raise info.version's major number (docs/openapi/README.md)", changes);
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
		String aSchema = firstSchemaWithProperties(base);
		String aProperty = base.at("/components/schemas/" + aSchema + "/properties").fieldNames().next();
		List<String> failures = new ArrayList<>();
		expect(failures, false, "an endpoint removed (" + anOperationPath + ")", original,
				copy -> ((ObjectNode) copy.path("paths")).remove(anOperationPath));
		expect(failures, false, "a property's type changed (" + aSchema + "." + aProperty + " to a boolean)", original,
				copy -> ((ObjectNode) copy.at("/components/schemas/" + aSchema + "/properties/" + aProperty))
					.removeAll()
					.put("type", "boolean"));
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

	private static String firstSchemaWithProperties(JsonNode description) {
		List<String> names = new ArrayList<>();
		description.at("/components/schemas").properties().forEach(entry -> {
			if (entry.getValue().path("properties").size() > 0) {
				names.add(entry.getKey());
			}
		});
		if (names.isEmpty()) {
			throw new IllegalStateException("the selftest needs a description with a schema that has properties");
		}
		return names.stream().sorted().collect(Collectors.toList()).get(0);
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

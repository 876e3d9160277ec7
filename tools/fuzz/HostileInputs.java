import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fuzz suite of the public API: sends a corpus of hostile requests to every endpoint through the gateway
 * and checks that each is answered on purpose. Run by {@code ./platform smoke} (and so {@code ./platform test})
 * against the platform it started; runnable by hand against any running platform:
 *
 * <pre>
 * java tools/fuzz/HostileInputs.java [http://127.0.0.1:8080 [http://127.0.0.1:8180]]
 * </pre>
 *
 * The second address is Keycloak's: the suite logs in as the demo customer {@code alice} and the demo
 * {@code admin} (the dev-only {@code shop-cli} client) and sends each request with the token its endpoint needs
 * (none for the public reads), so the hostile input reaches the code that reads it instead of bouncing off a 401.
 * Hostile tokens are a class of the corpus of their own.
 *
 * Every request goes over a plain socket, byte for byte as written here, because HTTP clients refuse to send
 * most of the corpus (control characters, broken encodings, conflicting lengths). For every answer:
 * <ul>
 * <li>never a 5xx, and never a connection closed without an answer;</li>
 * <li>a 4xx is {@code application/problem+json} whose {@code status} is the answer's status (HEAD has no
 * body);</li>
 * <li>answered within 2 s;</li>
 * <li>cases marked "refused" must get a 4xx, not just "no 5xx" (a NUL byte is never a valid search).</li>
 * </ul>
 * Afterwards every route must still serve a normal request (a flood of bad input trips no circuit breaker)
 * and a normal order must be placed. Only requests that must be refused are sent to endpoints that write, so
 * the suite changes no data but that order, placed on a product the suite creates with one unit of stock (the
 * verdict never depends on the demo's stock) and deletes afterwards.
 * <p>
 * Prints each failure, then one closing line {@code fuzz: N passed, N failed}; exit status 1 on any failure.
 */
public class HostileInputs {

	private static final int ANSWER_WITHIN_MS = 2000;

	/** A product of the demo catalog that has stock (the smoke's order uses it too). */
	private static final String STOCKED_PRODUCT = "00000000-0000-4000-8000-000000000001";

	private static final String SERVICES[] = { "product-service", "inventory-service", "order-service",
			"payment-service", "notification-service" };

	private final String host;

	private final int port;

	/** The demo customer's and the demo admin's access tokens (docs/security.md), by role. */
	private final Map<String, String> tokens = new HashMap<>();

	private final List<String> failures = new ArrayList<>();

	private final Map<Integer, Integer> statuses = new TreeMap<>();

	private int passed;

	private long slowest;

	HostileInputs(String host, int port) {
		this.host = host;
		this.port = port;
	}

	public static void main(String[] args) throws Exception {
		String base = (args.length > 0) ? args[0] : "http://127.0.0.1:8080";
		String keycloak = (args.length > 1) ? args[1] : "http://127.0.0.1:8180";
		Matcher url = Pattern.compile("http://([^:/]+):(\\d+)/?").matcher(base);
		if (!url.matches()) {
			System.err.println("usage: HostileInputs [http://host:port]");
			System.exit(2);
		}
		HostileInputs fuzz = new HostileInputs(url.group(1), Integer.parseInt(url.group(2)));
		fuzz.tokens.put("customer", passwordToken(keycloak, "alice", "alice"));
		fuzz.tokens.put("admin", passwordToken(keycloak, "admin", "admin"));
		long started = System.nanoTime();
		fuzz.run();
		long seconds = (System.nanoTime() - started) / 1_000_000_000L;
		System.out.println("fuzz: answers by status " + fuzz.statuses + ", slowest " + fuzz.slowest + " ms, " + seconds
				+ " s in all");
		System.out.println("fuzz: " + fuzz.passed + " passed, " + fuzz.failures.size() + " failed");
		System.exit(fuzz.failures.isEmpty() ? 0 : 1);
	}

	void run() {
		String unknown = UUID.randomUUID().toString();
		// Every endpoint of the public API, with {id} where an id goes and the query parameters it reads.
		List<Endpoint> endpoints = List.of(
				new Endpoint("GET", "/api/products", List.of("q", "category", "minPrice", "maxPrice", "page", "size", "sort")),
				new Endpoint("GET", "/api/products/{id}", List.of()),
				new Endpoint("POST", "/api/products", List.of()),
				new Endpoint("PUT", "/api/products/{id}", List.of()),
				new Endpoint("DELETE", "/api/products/{id}", List.of()),
				new Endpoint("GET", "/api/inventory/{id}", List.of()),
				new Endpoint("PUT", "/api/inventory/{id}", List.of()),
				new Endpoint("POST", "/api/orders", List.of()),
				new Endpoint("GET", "/api/orders", List.of("customerId", "status", "page", "size", "sort")),
				new Endpoint("GET", "/api/orders/{id}", List.of()),
				new Endpoint("POST", "/api/orders/{id}/cancel", List.of()),
				new Endpoint("GET", "/api/payments", List.of("orderId")),
				new Endpoint("GET", "/api/notifications", List.of("orderId")));
		for (Endpoint endpoint : endpoints) {
			pathCases(endpoint, unknown);
			queryCases(endpoint);
			if (endpoint.writes()) {
				bodyCases(endpoint, unknown);
			}
			headerCases(endpoint, unknown);
		}
		for (String service : SERVICES) {
			String deadLetters = "/api/admin/" + service + "/dead-letters";
			pathCases(new Endpoint("POST", deadLetters + "/{id}/replay", List.of()), unknown);
			pathCases(new Endpoint("DELETE", deadLetters + "/{id}", List.of()), unknown);
			refused("GET " + deadLetters + " TRACE", request("TRACE", deadLetters, Map.of(), null));
		}
		tokenCases(unknown);
		protocolCases();
		webSocketCases(unknown);
		corsCases();
		// The same bad request again and again, as one careless or hostile client would send it.
		for (int i = 0; i < 30; i++) {
			refused("flood GET /api/products?q=%00", request("GET", "/api/products?q=%00", Map.of(), null));
			refused("flood GET /api/payments?orderId=%FF", request("GET", "/api/payments?orderId=%FF", Map.of(), null));
		}
		everyRouteStillServes(unknown);
		aNormalOrderIsConfirmed();
	}

	// ---- the corpus ---------------------------------------------------------------------------------

	/** Ids as they may appear in a path: each one is no valid id, or one that does not exist. */
	private void pathCases(Endpoint endpoint, String unknown) {
		if (!endpoint.path().contains("{id}")) {
			return;
		}
		String body = endpoint.writes() ? "{}" : null;
		List<String> ids = List.of("%00", "%01", "%7F", "%FF%FE", "%C0%80", "%ED%A0%80", "%c0%ae%c0%ae", "%", "%zz",
				"%2e%2e", "..%2f..%2factuator", "%2fetc%2fpasswd", "not-a-uuid", "%27%20OR%20%271%27=%271",
				"%3Cscript%3E", "a".repeat(3000), "%E2%80%AE" + unknown, "00000000-0000-0000-0000-000000000000",
				unknown + ";jsessionid=1", unknown.toUpperCase(Locale.ROOT) + "x", "-1", "9".repeat(40), "%20");
		for (String id : ids) {
			String target = endpoint.path().replace("{id}", id);
			refused(endpoint.method() + " " + shorten(target), request(endpoint.method(), target, json(), body));
		}
		// A real-looking id that does not exist: 404, never 5xx.
		String target = endpoint.path().replace("{id}", unknown);
		answered(endpoint.method() + " " + target, request(endpoint.method(), target, json(), body));
	}

	private void queryCases(Endpoint endpoint) {
		if (endpoint.parameters().isEmpty()) {
			return;
		}
		// Values no parameter of this API accepts.
		List<String> refusedValues = List.of("%00", "a%00b", "%01", "%1B%5B31m", "%7F", "%FF%FE", "%C0%80", "%ED%A0%80",
				"%c0%ae", "%", "%zz", "%E0%80");
		// Values that are odd but may be valid for some parameter: answered, never 5xx.
		List<String> oddValues = List.of("%27%20OR%201=1--", "%3Cscript%3Ealert(1)%3C/script%3E", "-1", "0",
				"99999999999999999999", "NaN", "Infinity", "1e400", "-0.0", "%F0%9F%98%80", "x".repeat(4000), "",
				"%2e%2e%2f", "null", "true", "%22%7D", "name,desc;DROP%20TABLE%20product", "createdAt,sideways",
				"%E2%80%AE", "%EF%BB%BF");
		for (String parameter : endpoint.parameters()) {
			for (String value : refusedValues) {
				String target = endpoint.path() + "?" + parameter + "=" + value;
				refused(endpoint.method() + " " + shorten(target), request(endpoint.method(), target, Map.of(), null));
			}
			for (String value : oddValues) {
				String target = endpoint.path() + "?" + parameter + "=" + value;
				answered(endpoint.method() + " " + shorten(target), request(endpoint.method(), target, Map.of(), null));
			}
			answered(endpoint.method() + " " + endpoint.path() + "?" + parameter + "[]=",
					request(endpoint.method(), endpoint.path() + "?" + parameter + "[]=", Map.of(), null));
			answered(endpoint.method() + " duplicated " + parameter, request(endpoint.method(),
					endpoint.path() + "?" + parameter + "=1&" + parameter + "=2", Map.of(), null));
		}
		answered(endpoint.method() + " 500 parameters", request(endpoint.method(),
				endpoint.path() + "?" + "p=1&".repeat(500), Map.of(), null));
	}

	/** Bodies that must each be refused: none of them may create or change anything. */
	private void bodyCases(Endpoint endpoint, String unknown) {
		String target = endpoint.path().replace("{id}", endpoint.method().equals("PUT") && endpoint.path()
			.startsWith("/api/inventory") ? STOCKED_PRODUCT : unknown);
		if (target.endsWith("/cancel")) {
			return; // no body is read; the path cases cover it
		}
		Map<String, String> bodies = new LinkedHashMap<>();
		bodies.put("empty", "");
		bodies.put("not JSON", "hello");
		bodies.put("truncated", "{\"name\": \"x\"");
		bodies.put("array", "[]");
		bodies.put("null", "null");
		bodies.put("string", "\"x\"");
		bodies.put("number", "123");
		bodies.put("deep nesting", "[".repeat(20000) + "]".repeat(20000));
		bodies.put("deep objects", "{\"a\":".repeat(5000) + "1" + "}".repeat(5000));
		bodies.put("huge number", "{\"onHand\": 1" + "0".repeat(5000) + ", \"price\": 1" + "0".repeat(5000) + "}");
		bodies.put("negative", "{\"onHand\": -5, \"price\": -1, \"quantity\": -1}");
		bodies.put("wrong types", "{\"name\": [], \"price\": \"cheap\", \"onHand\": \"lots\", \"items\": \"all\"}");
		bodies.put("NUL in strings", "{\"sku\": \"A\\u0000B\", \"name\": \"\\u0000\", \"description\": \"x\\u0000\","
				+ " \"category\": \"\\u0000\", \"price\": 1.00, \"currency\": \"EUR\", \"customerEmail\": \"a\\u0000@b.c\","
				+ " \"items\": [{\"productId\": \"" + STOCKED_PRODUCT + "\", \"quantity\": 1}], \"payment\": {\"token\": \"tok\\u0000\"}}");
		bodies.put("control characters", "{\"sku\": \"A\\u001bB\", \"name\": \"\\u0007\", \"category\": \"\\u0001\","
				+ " \"price\": 1.00, \"currency\": \"EUR\", \"customerEmail\": \"a\\u0008@b.c\","
				+ " \"items\": [{\"productId\": \"" + STOCKED_PRODUCT + "\", \"quantity\": 1}], \"payment\": {\"token\": \"tok\\u0001\"}}");
		bodies.put("lone surrogate", "{\"name\": \"\\ud800\", \"sku\": \"\\udfff\", \"price\": 1.00, \"currency\": \"EUR\","
				+ " \"customerEmail\": \"\\ud800@b.c\", \"items\": [], \"payment\": {\"token\": \"tok_ok\"}}");
		bodies.put("duplicate keys", "{\"onHand\": 1, \"onHand\": -1, \"items\": [], \"items\": []}");
		bodies.put("unknown currency and empty items", "{\"sku\": \"\", \"name\": \"\", \"price\": 0.001, \"currency\": \"XXXX\","
				+ " \"items\": [], \"payment\": {}}");
		bodies.put("too many items", "{\"customerEmail\": \"a@b.c\", \"items\": ["
				+ ("{\"productId\": \"" + unknown + "\", \"quantity\": 0},").repeat(2000) + "{}], \"payment\": {\"token\": \"tok_ok\"}}");
		for (Map.Entry<String, String> body : bodies.entrySet()) {
			refused(endpoint.method() + " " + endpoint.path() + " body " + body.getKey(),
					request(endpoint.method(), target, json(), body.getValue()));
		}
		byte[] invalidUtf8 = "{\"name\": \"\u0000\"}".getBytes(StandardCharsets.UTF_8);
		invalidUtf8[10] = (byte) 0xFF;
		refused(endpoint.method() + " " + endpoint.path() + " body invalid UTF-8",
				request(endpoint.method(), target, json(), invalidUtf8));
		refused(endpoint.method() + " " + endpoint.path() + " body 2 MB",
				request(endpoint.method(), target, json(), "{\"name\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}"));
		for (String type : List.of("*/*", "application/*", "text/plain", "garbage", "application/json; charset=ebcdic",
				"application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/json;;;")) {
			refused(endpoint.method() + " " + endpoint.path() + " Content-Type " + type,
					request(endpoint.method(), target, Map.of("Content-Type", type), "{}"));
		}
	}

	private void headerCases(Endpoint endpoint, String unknown) {
		String target = endpoint.path().replace("{id}", unknown);
		String body = endpoint.writes() ? "{}" : null;
		String method = endpoint.method();
		answered(method + " " + target + " Accept garbage", request(method, target, Map.of("Accept", "garbage/;;"), body));
		answered(method + " " + target + " Accept xml", request(method, target, Map.of("Accept", "application/xml"), body));
		answered(method + " " + target + " Idempotency-Key 5000 chars",
				request(method, target, Map.of("Idempotency-Key", "k".repeat(5000), "Content-Type", "application/json"), body));
		answered(method + " " + target + " X-Request-Id with markup",
				request(method, target, Map.of("X-Request-Id", "<script>", "traceparent", "00-zz-zz-01"), body));
		refused(method + " " + target + " header of 40 KB", request(method, target, Map.of("X-Padding", "p".repeat(40_000)), body));
		refused(method + " " + target + " control character in a header",
				request(method, target, Map.of("X-Evil", "a\u0001b"), body));
		if (!method.equals("PATCH")) {
			refused("PATCH " + target, request("PATCH", target, json(), "{}"));
		}
		refused("TRACE " + target, request("TRACE", target, Map.of(), null));
		refused("FROB " + target, request("FROB", target, Map.of(), null));
	}

	/** Tokens that must not get anyone in: each a 401 problem, never a 5xx, on an endpoint that needs a customer. */
	private void tokenCases(String unknown) {
		String target = "/api/orders/" + unknown;
		String payload = Base64.getUrlEncoder().withoutPadding()
			.encodeToString("{\"sub\":\"x\",\"realm_access\":{\"roles\":[\"admin\"]}}".getBytes(StandardCharsets.UTF_8));
		String noneHeader = Base64.getUrlEncoder().withoutPadding()
			.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
		String[] signature = this.tokens.get("customer").split("\\.");
		Map<String, String> hostile = new LinkedHashMap<>();
		hostile.put("no scheme", this.tokens.get("customer"));
		hostile.put("Basic instead of Bearer", "Basic YWxpY2U6YWxpY2U=");
		hostile.put("empty Bearer", "Bearer ");
		hostile.put("garbage", "Bearer garbage");
		hostile.put("alg none claiming admin", "Bearer " + noneHeader + "." + payload + ".");
		hostile.put("a real signature under other claims", "Bearer " + signature[0] + "." + payload + "." + signature[2]);
		hostile.put("a token of 6 KB", "Bearer " + "a".repeat(6_000));
		hostile.put("a token that is not base64url", "Bearer abc%00def");
		hostile.put("two tokens", "Bearer a, Bearer b");
		hostile.forEach((kind, value) -> refused("GET " + target + " with " + kind,
				request("GET", target, Map.of("Authorization", value), null)));
		refused("POST /api/products as a customer", request("POST", "/api/products",
				Map.of("Authorization", "Bearer " + this.tokens.get("customer"), "Content-Type", "application/json"), "{}"));
	}

	/** Broken HTTP itself: what the gateway's HTTP layer has to answer before any route is looked at. */
	private void protocolCases() {
		refused("request line of 20 KB", raw("GET /api/products?q=" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"));
		refused("{ in the path", raw("GET /api/products/{x} HTTP/1.1\r\nHost: x\r\n\r\n"));
		refused("lone % in the path", raw("GET /api/products/% HTTP/1.1\r\nHost: x\r\n\r\n"));
		refused("space in the path", raw("GET /api/pro ducts HTTP/1.1\r\nHost: x\r\n\r\n"));
		refused("200 headers", raw("GET /api/products HTTP/1.1\r\nHost: x\r\n" + "X-H: 0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789\r\n".repeat(200) + "\r\n"));
		refused("Content-Length and Transfer-Encoding", raw("POST /api/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
				+ "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
		refused("negative Content-Length", raw("POST /api/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
				+ "Content-Length: -1\r\n\r\n"));
		refused("Content-Length not a number", raw("POST /api/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
				+ "Content-Length: abc\r\n\r\n"));
		refused("header without a colon", raw("GET /api/products HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n"));
		refused("unknown route", raw("GET /api/nothing-here HTTP/1.1\r\nHost: x\r\n\r\n"));
		refused("actuator through the public port", raw("GET /actuator/env HTTP/1.1\r\nHost: x\r\n\r\n"));
		refused("absolute URI to another host", raw("GET http://169.254.169.254/latest/meta-data HTTP/1.1\r\nHost: x\r\n\r\n"));
	}

	private void webSocketCases(String unknown) {
		String upgrade = "GET /ws/orders/" + unknown + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
		refused("WebSocket upgrade without Sec-WebSocket-Version",
				raw(upgrade + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"));
		refused("WebSocket upgrade with version 8", raw(upgrade
				+ "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n"));
		refused("WebSocket upgrade without Sec-WebSocket-Key", raw(upgrade + "Sec-WebSocket-Version: 13\r\n\r\n"));
		refused("WebSocket of an id that is no UUID", raw(upgrade.replace(unknown, "%00")
				+ "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"));
	}

	private void corsCases() {
		refused("CORS preflight from a foreign origin", request("OPTIONS", "/api/products",
				Map.of("Origin", "http://evil.example", "Access-Control-Request-Method", "GET"), null));
		refused("CORS request from a foreign origin", request("GET", "/api/products",
				Map.of("Origin", "http://evil.example"), null));
	}

	// ---- afterwards: still serving ------------------------------------------------------------------

	private void everyRouteStillServes(String unknown) {
		String[] reads = { "/api/products?size=1", "/api/products/" + STOCKED_PRODUCT, "/api/inventory/" + STOCKED_PRODUCT,
				"/api/orders?size=1" };
		for (String read : reads) {
			expect("after the corpus, GET " + read + " is served", request("GET", read, Map.of(), null), 200);
		}
		// A customer asking for an order that is not theirs (here: none at all) gets 404 from the service itself.
		for (String read : new String[] { "/api/payments?orderId=" + unknown, "/api/notifications?orderId=" + unknown }) {
			expect("after the corpus, GET " + read + " is served", request("GET", read, Map.of(), null), 404);
		}
		for (String service : SERVICES) {
			String target = "/api/admin/" + service + "/dead-letters";
			expect("after the corpus, GET " + target + " is served", request("GET", target, Map.of(), null), 200);
		}
	}

	/**
	 * On a product of its own with one unit in stock, so the verdict never depends on what the demo's stock has
	 * become; the product is deleted afterwards.
	 */
	private void aNormalOrderIsConfirmed() {
		String product = productWithOneUnit();
		if (product == null) {
			return;
		}
		try {
			aNormalOrderIsConfirmed(product);
		}
		finally {
			request("DELETE", "/api/products/" + product, Map.of(), null);
		}
	}

	private String productWithOneUnit() {
		String sku = "FUZZ-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
		Answer created = request("POST", "/api/products", json(), "{\"sku\": \"" + sku + "\", \"name\": \"Fuzz suite "
				+ sku + "\", \"category\": \"fuzz\", \"price\": 1.00, \"currency\": \"EUR\"}");
		if (!expect("after the corpus, a product is created", created, 201)) {
			return null;
		}
		Matcher id = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"").matcher(created.body());
		if (!id.find()) {
			this.failures.add("after the corpus, the created product has no id: " + created.body());
			return null;
		}
		long deadline = System.currentTimeMillis() + 30_000;
		Answer stocked = request("PUT", "/api/inventory/" + id.group(1), json(), "{\"onHand\": 1}");
		while (stocked.status() != 201 && stocked.status() != 200 && System.currentTimeMillis() < deadline) {
			// Inventory accepts stock for products the catalog knows, which it learns of within moments.
			sleep(500);
			stocked = request("PUT", "/api/inventory/" + id.group(1), json(), "{\"onHand\": 1}");
		}
		if (stocked.status() != 201 && stocked.status() != 200) {
			this.failures.add("after the corpus, stock for the new product: " + stocked.status() + " " + stocked.body());
			return null;
		}
		this.passed++;
		return id.group(1);
	}

	private void aNormalOrderIsConfirmed(String product) {
		String body = "{\"customerEmail\": \"fuzz@example.com\","
				+ " \"items\": [{\"productId\": \"" + product + "\", \"quantity\": 1}], \"payment\": {\"token\": \"tok_ok\"}}";
		Answer placed = request("POST", "/api/orders", json(), body);
		for (int wait = 0; placed.status() == 429 && wait < 10; wait++) {
			// The corpus's hostile orders took this customer's checkout budget: a client waits as told, then retries.
			String retryAfter = placed.header("retry-after");
			sleep(1000L * ((retryAfter != null && retryAfter.matches("\\d+")) ? Math.max(1, Integer.parseInt(retryAfter)) : 1));
			placed = request("POST", "/api/orders", json(), body);
		}
		if (!expect("after the corpus, a normal order is accepted", placed, 202)) {
			return;
		}
		String location = placed.header("location");
		long deadline = System.currentTimeMillis() + 60_000;
		String status = "";
		while (System.currentTimeMillis() < deadline) {
			Answer order = request("GET", location, Map.of(), null);
			Matcher matcher = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z_]+)\"").matcher(order.body());
			status = matcher.find() ? matcher.group(1) : "?";
			if (status.equals("CONFIRMED")) {
				this.passed++;
				return;
			}
			sleep(500);
		}
		this.failures.add("after the corpus, a normal order: " + location + " is " + status + ", not CONFIRMED, after 60 s");
	}

	// ---- checks -------------------------------------------------------------------------------------

	/** Must be refused: a 4xx problem. */
	private void refused(String name, Answer answer) {
		check(name, answer, true);
	}

	/** Anything but a failure of ours: 2xx, 3xx or a 4xx problem. */
	private void answered(String name, Answer answer) {
		check(name, answer, false);
	}

	private void check(String name, Answer answer, boolean mustBeRefused) {
		String problem = problemWith(answer, mustBeRefused);
		record(name, answer, problem);
	}

	private boolean expect(String name, Answer answer, int status) {
		String problem = (answer.status() == status) ? null
				: "expected " + status + " but got " + answer.status() + " " + shorten(answer.body());
		record(name, answer, problem);
		return problem == null;
	}

	private void record(String name, Answer answer, String problem) {
		if (answer.status() > 0) {
			this.statuses.merge(answer.status(), 1, Integer::sum);
		}
		this.slowest = Math.max(this.slowest, answer.millis());
		if (problem == null && answer.millis() > ANSWER_WITHIN_MS) {
			problem = "answered after " + answer.millis() + " ms";
		}
		if (problem == null) {
			this.passed++;
		}
		else {
			this.failures.add(name + ": " + problem);
			System.out.println("FAIL " + name + ": " + problem);
		}
	}

	private static String problemWith(Answer answer, boolean mustBeRefused) {
		if (answer.error() != null) {
			return answer.error();
		}
		int status = answer.status();
		if (status >= 500) {
			return "server error " + status + " " + shorten(answer.body());
		}
		if (mustBeRefused && status < 400) {
			return "expected a 4xx but got " + status;
		}
		if (status >= 400 && !answer.method().equals("HEAD")) {
			String type = answer.header("content-type");
			if (type == null || !type.startsWith("application/problem+json")) {
				return status + " with Content-Type " + type + " instead of application/problem+json: " + shorten(answer.body());
			}
			if (!answer.body().matches("(?s)\\s*\\{.*\"status\"\\s*:\\s*" + status + "\\b.*")) {
				return status + " with a problem that does not say status " + status + ": " + shorten(answer.body());
			}
		}
		return null;
	}

	// ---- HTTP over a plain socket -------------------------------------------------------------------

	private Answer request(String method, String target, Map<String, String> headers, Object body) {
		byte[] content = (body == null) ? null
				: (body instanceof byte[] bytes) ? bytes : ((String) body).getBytes(StandardCharsets.UTF_8);
		StringBuilder head = new StringBuilder();
		head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
		head.append("Host: ").append(this.host).append(':').append(this.port).append("\r\n");
		head.append("Connection: close\r\n");
		headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
		String token = headers.containsKey("Authorization") ? null : tokenFor(method, target);
		if (token != null) {
			head.append("Authorization: Bearer ").append(token).append("\r\n");
		}
		if (content != null) {
			head.append("Content-Length: ").append(content.length).append("\r\n");
		}
		head.append("\r\n");
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		bytes.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
		if (content != null) {
			bytes.writeBytes(content);
		}
		return send(method, bytes.toByteArray());
	}

	/**
	 * The token the endpoint needs (docs/security.md): none for the public reads of products and stock, the admin's
	 * for product and stock writes and the dead letters, the customer's for everything else.
	 */
	private String tokenFor(String method, String target) {
		boolean read = method.equals("GET") || method.equals("HEAD");
		if (read && (target.startsWith("/api/products") || target.startsWith("/api/inventory/"))) {
			return null;
		}
		if (target.startsWith("/api/admin/") || target.startsWith("/api/products")
				|| (target.startsWith("/api/inventory") && !read)) {
			return this.tokens.get("admin");
		}
		return this.tokens.get("customer");
	}

	/** A demo user's access token from the realm's dev-only terminal client (password grant). */
	private static String passwordToken(String keycloak, String username, String password) throws Exception {
		String form = "grant_type=password&client_id=shop-cli&username=" + username + "&password=" + password;
		try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
			HttpResponse<String> answer = client.send(HttpRequest
				.newBuilder(URI.create(keycloak + "/realms/shop/protocol/openid-connect/token"))
				.timeout(Duration.ofSeconds(10))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(form))
				.build(), HttpResponse.BodyHandlers.ofString());
			Matcher token = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(answer.body());
			if (answer.statusCode() != 200 || !token.find()) {
				throw new IllegalStateException("No token for " + username + " from " + keycloak + ": "
						+ answer.statusCode() + " " + shorten(answer.body()));
			}
			return token.group(1);
		}
	}

	private Answer raw(String request) {
		String withClose = request.replaceFirst("\r\n", "\r\nConnection: close\r\n");
		return send(request.substring(0, request.indexOf(' ')), withClose.getBytes(StandardCharsets.ISO_8859_1));
	}

	private Answer send(String method, byte[] request) {
		long started = System.nanoTime();
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(this.host, this.port), ANSWER_WITHIN_MS);
			// Past the limit the answer counts as too slow, but is still read to find out what it was.
			socket.setSoTimeout(ANSWER_WITHIN_MS * 3);
			OutputStream out = socket.getOutputStream();
			try {
				out.write(request);
				out.flush();
			}
			catch (IOException refusedMidway) {
				// A server may answer (413, 431) and close before the whole request is written: read what it said.
			}
			byte[] response = readAll(socket.getInputStream());
			long millis = (System.nanoTime() - started) / 1_000_000;
			if (response.length == 0) {
				return Answer.failed(method, "connection closed without an answer", millis);
			}
			return Answer.parse(method, response, millis);
		}
		catch (SocketTimeoutException slow) {
			return Answer.failed(method, "no complete answer within " + ANSWER_WITHIN_MS * 3 + " ms",
					(System.nanoTime() - started) / 1_000_000);
		}
		catch (IOException ex) {
			return Answer.failed(method, "I/O error: " + ex, (System.nanoTime() - started) / 1_000_000);
		}
	}

	private static byte[] readAll(InputStream in) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		try {
			for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
				out.write(buffer, 0, read);
			}
		}
		catch (IOException resetAfterAnswer) {
			if (out.size() == 0) {
				throw resetAfterAnswer;
			}
			// A reset after a complete answer (the server closed a connection it had not read fully) is fine.
		}
		return out.toByteArray();
	}

	private static Map<String, String> json() {
		return Map.of("Content-Type", "application/json");
	}

	private static String shorten(String text) {
		String oneLine = text.replaceAll("\\s+", " ");
		return (oneLine.length() > 160) ? oneLine.substring(0, 160) + "..." : oneLine;
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	record Endpoint(String method, String path, List<String> parameters) {

		boolean writes() {
			return !this.method.equals("GET") && !this.method.equals("DELETE");
		}

	}

	/** One answer: status, headers (lower-case names), body (de-chunked), or why there was none. */
	record Answer(String method, int status, Map<String, String> headers, String body, long millis, String error) {

		static Answer failed(String method, String error, long millis) {
			return new Answer(method, 0, Map.of(), "", millis, error);
		}

		static Answer parse(String method, byte[] response, long millis) {
			String text = new String(response, StandardCharsets.ISO_8859_1);
			int end = text.indexOf("\r\n\r\n");
			String head = (end >= 0) ? text.substring(0, end) : text;
			String[] lines = head.split("\r\n");
			Matcher statusLine = Pattern.compile("HTTP/1\\.[01] (\\d{3}).*").matcher(lines[0]);
			if (!statusLine.matches()) {
				return failed(method, "not an HTTP answer: " + shorten(lines[0]), millis);
			}
			Map<String, String> headers = new LinkedHashMap<>();
			for (int i = 1; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				if (colon > 0) {
					headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
				}
			}
			String body = (end >= 0) ? text.substring(end + 4) : "";
			if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
				body = dechunk(body);
			}
			body = new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
			return new Answer(method, Integer.parseInt(statusLine.group(1)), headers, body, millis, null);
		}

		private static String dechunk(String chunked) {
			StringBuilder body = new StringBuilder();
			int at = 0;
			while (at < chunked.length()) {
				int lineEnd = chunked.indexOf("\r\n", at);
				if (lineEnd < 0) {
					break;
				}
				int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].trim(), 16);
				if (size == 0) {
					break;
				}
				body.append(chunked, lineEnd + 2, Math.min(chunked.length(), lineEnd + 2 + size));
				at = lineEnd + 2 + size + 2;
			}
			return body.toString();
		}

		String header(String name) {
			return this.headers.get(name);
		}

	}

}

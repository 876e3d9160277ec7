import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load and the verdict of one {@code ./platform chaos} scenario, against a running platform, through the
 * gateway like any client. {@code ./platform chaos} kills a part by pid while {@code load} runs, restarts it,
 * then runs {@code check}:
 *
 * <pre>
 * java tools/chaos/Chaos.java load  STATE-FILE SECONDS ORDERS-PER-SECOND [gateway [keycloak]]
 * java tools/chaos/Chaos.java check STATE-FILE LABEL                     [gateway [keycloak]]
 * </pre>
 *
 * {@code load} creates a product of its own (so the scenario's stock, orders, payments and emails are told
 * apart from everything else on the platform), sets its stock, and places orders at a steady rate as the demo
 * customers alice and bob, one unit each, one in ten with a card that is declined. Each order has its own
 * {@code Idempotency-Key} and is sent again with that key, as a careful client would, while the answer is a
 * connection failure, a 5xx or a 429 (after its {@code Retry-After}), for up to three minutes (a part restarts
 * within that on this machine): a checkout a customer would see fail is one that still failed then. It writes what was accepted to STATE-FILE.
 * <p>
 * {@code check} waits (up to two minutes) until the invariants hold, then prints one line and exits 1 if any
 * does not:
 * <ul>
 * <li>every accepted order exists and is terminal (CONFIRMED or CANCELLED; FAILED is an operator's case and
 * counts as a violation); none lost, and no order for the product that was not accepted (none doubled);</li>
 * <li>stock: on hand + units sold = the stock set, nothing left reserved;</li>
 * <li>exactly one captured payment per confirmed order, none for a cancelled one;</li>
 * <li>exactly one order-confirmation email sent per confirmed order.</li>
 * </ul>
 * The product is deleted from the catalog afterwards. A single-file program (no libraries), so the JSON it
 * reads is parsed by the small reader at the end.
 */
public class Chaos {

	private static final Duration GIVE_UP_AFTER = Duration.ofMinutes(3);

	private static final Duration SETTLE_WITHIN = Duration.ofMinutes(2);

	private static final int STOCK = 100_000;

	private static final List<String> CUSTOMERS = List.of("alice", "bob");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String gateway;

	private final String keycloak;

	private Chaos(String gateway, String keycloak) {
		this.gateway = gateway;
		this.keycloak = keycloak;
	}

	public static void main(String[] args) throws Exception {
		if (args.length < 3 || !List.of("load", "check").contains(args[0])) {
			System.err.println("usage: load STATE-FILE SECONDS RATE [gateway [keycloak]] | check STATE-FILE LABEL [gateway [keycloak]]");
			System.exit(2);
		}
		int urls = args[0].equals("load") ? 4 : 3;
		Chaos chaos = new Chaos(args.length > urls ? args[urls] : "http://127.0.0.1:8080",
				args.length > urls + 1 ? args[urls + 1] : "http://127.0.0.1:8180");
		Path state = Path.of(args[1]);
		if (args[0].equals("load")) {
			chaos.load(state, Integer.parseInt(args[2]), Double.parseDouble(args[3]));
		}
		else {
			System.exit(chaos.check(state, args[2]) ? 0 : 1);
		}
	}

	// ---- load ----------------------------------------------------------------------------------------

	private void load(Path state, int seconds, double ratePerSecond) throws Exception {
		String admin = login("admin");
		String product = createProduct(admin);
		Map<String, String> tokens = new LinkedHashMap<>();
		for (String customer : CUSTOMERS) {
			tokens.put(customer, login(customer));
		}
		int total = (int) Math.round(seconds * ratePerSecond);
		ConcurrentLinkedQueue<String> outcomes = new ConcurrentLinkedQueue<>();
		AtomicInteger sequence = new AtomicInteger();
		long periodMicros = Math.round(1_000_000 / ratePerSecond);
		try (ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
				var customers = Executors.newVirtualThreadPerTaskExecutor()) {
			var ticks = clock.scheduleAtFixedRate(() -> {
				int number = sequence.getAndIncrement();
				if (number < total) {
					String customer = CUSTOMERS.get(number % CUSTOMERS.size());
					String card = (number % 10 == 9) ? "tok_declined" : "tok_ok";
					customers.submit(() -> outcomes.add(placeOrder(tokens.get(customer), product, card)));
				}
			}, 0, periodMicros, TimeUnit.MICROSECONDS);
			while (sequence.get() < total) {
				Thread.sleep(100);
			}
			ticks.cancel(false);
		}
		List<String> lines = new ArrayList<>();
		lines.add("product " + product + " " + STOCK);
		lines.addAll(outcomes);
		Files.write(state, lines);
		long accepted = outcomes.stream().filter(line -> line.startsWith("accepted")).count();
		System.out.printf("chaos load: %d orders placed, %d accepted, %d given up%n", total, accepted, total - accepted);
	}

	private String createProduct(String admin) throws Exception {
		String sku = "CHAOS-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
		HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(this.gateway + "/api/products"))
			.header("Authorization", "Bearer " + admin)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"" + sku + "\",\"name\":\"Chaos test " + sku
					+ "\",\"description\":\"made by ./platform chaos, deleted after its check\",\"category\":\"chaos\","
					+ "\"price\":1.00,\"currency\":\"EUR\"}")));
		require(created, 201, "creating the scenario's product");
		String product = (String) Json.object(created.body()).get("id");
		for (Instant deadline = Instant.now().plusSeconds(30);;) {
			// Inventory accepts stock for products the catalog knows; it learns of a new one within moments.
			HttpResponse<String> stocked = send(HttpRequest.newBuilder(URI.create(this.gateway + "/api/inventory/" + product))
				.header("Authorization", "Bearer " + admin)
				.header("Content-Type", "application/json")
				.PUT(HttpRequest.BodyPublishers.ofString("{\"onHand\":" + STOCK + "}")));
			if (stocked.statusCode() == 200) {
				return product;
			}
			if (Instant.now().isAfter(deadline)) {
				require(stocked, 200, "setting the scenario's stock");
			}
			Thread.sleep(500);
		}
	}

	/** "accepted KEY ORDER-ID" or "gave-up KEY LAST-ANSWER". */
	private String placeOrder(String token, String product, String card) {
		String key = UUID.randomUUID().toString();
		String body = "{\"items\":[{\"productId\":\"" + product + "\",\"quantity\":1}],\"payment\":{\"token\":\"" + card
				+ "\"}}";
		Instant giveUp = Instant.now().plus(GIVE_UP_AFTER);
		String last = "nothing";
		long backoff = 200;
		while (Instant.now().isBefore(giveUp)) {
			try {
				HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(this.gateway + "/api/orders"))
					.timeout(Duration.ofSeconds(10))
					.header("Authorization", "Bearer " + token)
					.header("Content-Type", "application/json")
					.header("Idempotency-Key", key)
					.POST(HttpRequest.BodyPublishers.ofString(body)));
				int status = answer.statusCode();
				if (status == 200 || status == 202) {
					return "accepted " + key + " " + Json.object(answer.body()).get("id");
				}
				last = String.valueOf(status);
				if (status == 429) {
					backoff = 1000 * Long.parseLong(answer.headers().firstValue("Retry-After").orElse("1"));
				}
				else if (status < 500 && status != 409) {
					// 409: the first attempt with this key is still in flight; anything else is final.
					return "gave-up " + key + " " + status;
				}
			}
			catch (IOException ex) {
				last = ex.getClass().getSimpleName();
			}
			sleep(backoff);
			backoff = Math.min(backoff * 2, 5000);
		}
		return "gave-up " + key + " " + last;
	}

	// ---- check ---------------------------------------------------------------------------------------

	private boolean check(Path state, String label) throws Exception {
		List<String> lines = Files.readAllLines(state);
		String[] header = lines.get(0).split(" ");
		String product = header[1];
		int stockSet = Integer.parseInt(header[2]);
		Set<String> accepted = new HashSet<>();
		int gaveUp = 0;
		for (String line : lines.subList(1, lines.size())) {
			String[] fields = line.split(" ");
			if (fields[0].equals("accepted")) {
				accepted.add(fields[2]);
			}
			else {
				gaveUp++;
			}
		}
		String admin = login("admin");
		Verdict verdict = null;
		for (Instant deadline = Instant.now().plus(SETTLE_WITHIN);;) {
			verdict = verdict(admin, product, stockSet, accepted);
			if (verdict.violations.isEmpty() || Instant.now().isAfter(deadline)) {
				break;
			}
			Thread.sleep(2000);
		}
		send(HttpRequest.newBuilder(URI.create(this.gateway + "/api/products/" + product))
			.header("Authorization", "Bearer " + admin)
			.DELETE());
		boolean passed = verdict.violations.isEmpty() && gaveUp == 0;
		List<String> problems = new ArrayList<>(verdict.violations);
		if (gaveUp > 0) {
			problems.add(0, gaveUp + " checkouts still failed after three minutes of retries");
		}
		System.out.printf("chaos %-21s %d orders: %d accepted, %d failed checkouts; %d confirmed, %d cancelled; %s%n",
				label + ":", accepted.size() + gaveUp, accepted.size(), gaveUp, verdict.confirmed, verdict.cancelled,
				passed ? "lost 0, doubled 0, stock, captures and emails consistent: PASS"
						: "FAIL: " + String.join("; ", problems));
		return passed;
	}

	private record Verdict(int confirmed, int cancelled, List<String> violations) {
	}

	private Verdict verdict(String admin, String product, int stockSet, Set<String> accepted) throws Exception {
		List<String> violations = new ArrayList<>();
		Map<String, String> statusById = ordersOfProduct(admin, product);
		Set<String> lost = new HashSet<>(accepted);
		lost.removeAll(statusById.keySet());
		Set<String> extra = new HashSet<>(statusById.keySet());
		extra.removeAll(accepted);
		if (!lost.isEmpty()) {
			violations.add(lost.size() + " accepted orders lost " + sample(lost));
		}
		if (!extra.isEmpty()) {
			violations.add(extra.size() + " orders nobody got an answer for (doubled) " + sample(extra));
		}
		int confirmed = 0;
		int cancelled = 0;
		List<String> unfinished = new ArrayList<>();
		for (Map.Entry<String, String> order : statusById.entrySet()) {
			switch (order.getValue()) {
				case "CONFIRMED" -> confirmed++;
				case "CANCELLED" -> cancelled++;
				default -> unfinished.add(order.getKey() + "=" + order.getValue());
			}
		}
		if (!unfinished.isEmpty()) {
			violations.add(unfinished.size() + " orders not CONFIRMED or CANCELLED " + sample(unfinished));
		}
		Map<String, Object> stock = Json.object(get(admin, "/api/inventory/" + product).body());
		long onHand = ((Number) stock.get("onHand")).longValue();
		long reserved = ((Number) stock.get("reserved")).longValue();
		if (onHand + confirmed != stockSet || reserved != 0) {
			violations.add("stock: " + onHand + " on hand + " + confirmed + " sold != " + stockSet + " set, or "
					+ reserved + " still reserved");
		}
		List<String> payments = new ArrayList<>();
		List<String> emails = new ArrayList<>();
		for (Map.Entry<String, String> order : statusById.entrySet()) {
			boolean isConfirmed = order.getValue().equals("CONFIRMED");
			long captures = Json.array(get(admin, "/api/payments?orderId=" + order.getKey()).body())
				.stream()
				.filter(payment -> "CAPTURED".equals(((Map<?, ?>) payment).get("status")))
				.count();
			if (captures != (isConfirmed ? 1 : 0)) {
				payments.add(order.getKey() + " " + order.getValue() + " captured " + captures + "x");
			}
			if (isConfirmed) {
				long sent = Json.array(get(admin, "/api/notifications?orderId=" + order.getKey()).body())
					.stream()
					.map(notification -> (Map<?, ?>) notification)
					.filter(notification -> "ORDER_CONFIRMED".equals(notification.get("type"))
							&& "SENT".equals(notification.get("status")))
					.count();
				if (sent != 1) {
					emails.add(order.getKey() + " confirmation emails sent " + sent + "x");
				}
			}
		}
		if (!payments.isEmpty()) {
			violations.add(payments.size() + " orders without exactly their captures " + sample(payments));
		}
		if (!emails.isEmpty()) {
			violations.add(emails.size() + " confirmed orders without exactly one email " + sample(emails));
		}
		return new Verdict(confirmed, cancelled, violations);
	}

	/** Order id -> status, of every order of the chaos customers that holds the product. */
	private Map<String, String> ordersOfProduct(String admin, String product) throws Exception {
		Map<String, String> found = new LinkedHashMap<>();
		for (String customer : CUSTOMERS) {
			String subject = subjectOf(login(customer));
			for (int page = 0;; page++) {
				Map<String, Object> answer = Json.object(get(admin,
						"/api/orders?size=100&page=" + page + "&customerId=" + URLEncoder.encode(subject, StandardCharsets.UTF_8))
					.body());
				for (Object element : (List<?>) answer.get("content")) {
					Map<?, ?> order = (Map<?, ?>) element;
					boolean holdsProduct = ((List<?>) order.get("items")).stream()
						.anyMatch(item -> product.equals(((Map<?, ?>) item).get("productId")));
					if (holdsProduct) {
						found.put((String) order.get("id"), (String) order.get("status"));
					}
				}
				Map<?, ?> pageInfo = (Map<?, ?>) answer.get("page");
				if (page + 1 >= ((Number) pageInfo.get("totalPages")).intValue()) {
					break;
				}
			}
		}
		return found;
	}

	// ---- HTTP and tokens -----------------------------------------------------------------------------

	private String login(String user) throws Exception {
		String form = "grant_type=password&client_id=shop-cli&username=" + user + "&password=" + user;
		HttpResponse<String> answer = send(HttpRequest
			.newBuilder(URI.create(this.keycloak + "/realms/shop/protocol/openid-connect/token"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form)));
		require(answer, 200, "logging in as " + user);
		return (String) Json.object(answer.body()).get("access_token");
	}

	private static String subjectOf(String token) {
		String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
		return (String) Json.object(payload).get("sub");
	}

	private HttpResponse<String> get(String token, String path) throws Exception {
		HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(this.gateway + path))
			.header("Authorization", "Bearer " + token));
		require(answer, 200, "GET " + path);
		return answer;
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
		try {
			return this.http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
	}

	private static void require(HttpResponse<String> answer, int status, String what) {
		if (answer.statusCode() != status) {
			throw new IllegalStateException(what + ": " + answer.statusCode() + " " + answer.body());
		}
	}

	private static String sample(java.util.Collection<String> items) {
		return items.stream().limit(3).toList().toString();
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Just enough of JSON for the answers read here: objects, arrays, strings, numbers, booleans, null. */
	static final class Json {

		private final String text;

		private int at;

		private Json(String text) {
			this.text = text;
		}

		@SuppressWarnings("unchecked")
		static Map<String, Object> object(String text) {
			return (Map<String, Object>) new Json(text).value();
		}

		static List<?> array(String text) {
			return (List<?>) new Json(text).value();
		}

		private Object value() {
			skipSpace();
			char next = this.text.charAt(this.at);
			return switch (next) {
				case '{' -> members();
				case '[' -> elements();
				case '"' -> string();
				case 't', 'f', 'n' -> literal();
				default -> number();
			};
		}

		private Map<String, Object> members() {
			Map<String, Object> members = new LinkedHashMap<>();
			this.at++;
			skipSpace();
			if (this.text.charAt(this.at) == '}') {
				this.at++;
				return members;
			}
			while (true) {
				skipSpace();
				String name = string();
				skipSpace();
				this.at++; // ':'
				members.put(name, value());
				skipSpace();
				if (this.text.charAt(this.at++) == '}') {
					return members;
				}
			}
		}

		private List<Object> elements() {
			List<Object> elements = new ArrayList<>();
			this.at++;
			skipSpace();
			if (this.text.charAt(this.at) == ']') {
				this.at++;
				return elements;
			}
			while (true) {
				elements.add(value());
				skipSpace();
				if (this.text.charAt(this.at++) == ']') {
					return elements;
				}
			}
		}

		private String string() {
			StringBuilder value = new StringBuilder();
			this.at++; // '"'
			for (char next = this.text.charAt(this.at++); next != '"'; next = this.text.charAt(this.at++)) {
				if (next == '\\') {
					char escaped = this.text.charAt(this.at++);
					switch (escaped) {
						case 'n' -> value.append('\n');
						case 't' -> value.append('\t');
						case 'r' -> value.append('\r');
						case 'b' -> value.append('\b');
						case 'f' -> value.append('\f');
						case 'u' -> {
							value.append((char) Integer.parseInt(this.text.substring(this.at, this.at + 4), 16));
							this.at += 4;
						}
						default -> value.append(escaped);
					}
				}
				else {
					value.append(next);
				}
			}
			return value.toString();
		}

		private Object literal() {
			for (String word : List.of("true", "false", "null")) {
				if (this.text.startsWith(word, this.at)) {
					this.at += word.length();
					return word.equals("null") ? null : Boolean.valueOf(word);
				}
			}
			throw new IllegalArgumentException("not JSON at " + this.at + ": " + this.text);
		}

		private Number number() {
			int start = this.at;
			while (this.at < this.text.length() && "+-0123456789.eE".indexOf(this.text.charAt(this.at)) >= 0) {
				this.at++;
			}
			return Double.valueOf(this.text.substring(start, this.at));
		}

		private void skipSpace() {
			while (this.at < this.text.length() && Character.isWhitespace(this.text.charAt(this.at))) {
				this.at++;
			}
		}

	}

}

package com.example.shop.browser;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A shopper's and a shop assistant's afternoon in a real browser, against a running platform through the gateway
 * (http://localhost:8080): browse and search, log in on Keycloak's own login page, two products into the cart,
 * checkout with the approving test card and the status turning CONFIRMED on the open page, the email in the mail
 * server; a declined card ending CANCELLED with its reason in words; an out-of-stock refusal at checkout; a customer
 * kept out of the staff pages; the admin replaying a dead letter. One browser for the whole story, in this order.
 * Screenshots of every page: {@code browser-tests/target/screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StorefrontBrowserTests {

	private static final Duration SAGA = Duration.ofSeconds(45);

	private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

	private static PlatformApi platform;

	private static Browser browser;

	private static List<JsonNode> products;

	/** When alice logged in: her first access token (60 s in the development realm) has expired a minute later. */
	private static long aliceLoggedInAt;

	/** The order page of Alice's confirmed order, and where its emails go: the refund test cancels it. */
	private static String confirmedOrderPath;

	private static String aliceEmail;

	@BeforeAll
	static void openTheBrowser() throws IOException {
		platform = PlatformApi.fromSystemProperties();
		browser = new Browser(platform.gateway(),
				Path.of(PlatformApi.property("browser.screenshots", "target/screenshots")));
		products = platform.availableProducts();
		assertThat(products).as("products the catalog sells").hasSizeGreaterThanOrEqualTo(5);
		// Enough stock for this story, whatever earlier tests left.
		for (JsonNode product : products.subList(0, 5)) {
			platform.setStock(product.path("id").asString(), 50);
		}
	}

	@AfterAll
	static void closeTheBrowser() {
		if (browser != null) {
			browser.close();
		}
	}

	@Test
	@Order(1)
	void anybodyBrowsesSearchesAndFilters() throws IOException {
		browser.open("/");
		assertThat(browser.text("h1")).isEqualTo("Catalog");
		assertThat(browser.has("#products .product")).isTrue();
		browser.screenshot("01-catalog");

		String name = products.getFirst().path("name").asString();
		browser.type("#q", name);
		browser.click("#search");
		assertThat(browser.text("#products")).contains(name);
		assertThat(browser.url()).contains("q=");

		browser.open("/?sort=price,desc");
		List<Double> prices = browser.waitUntil(Duration.ofSeconds(5),
				driver -> driver.findElements(By.cssSelector("#products .price"))
					.stream()
					.map(price -> Double.parseDouble(price.getText().replaceAll("[^0-9.]", "")))
					.toList());
		assertThat(prices).hasSizeGreaterThan(1).isSortedAccordingTo((a, b) -> Double.compare(b, a));

		browser.open("/?q=no-such-product-" + RUN);
		assertThat(browser.text("#no-results")).contains("Nothing matches");
	}

	@Test
	@Order(2)
	void aProductPageShowsStockChangesAsTheyHappen() {
		JsonNode product = products.get(4);
		browser.open("/products/" + product.path("id").asString());
		assertThat(browser.text("#availability")).isEqualTo("In stock (50 available)");
		// The feed is open once its first event (the current level) has arrived.
		browser.waitUntil(Duration.ofSeconds(10),
				ExpectedConditions.attributeToBe(By.id("availability"), "data-live", "on"));
		browser.script("window.stillTheSamePage = true;");

		platform.setStock(product.path("id").asString(), 33);

		browser.waitUntil(Duration.ofSeconds(15),
				ExpectedConditions.textToBe(By.id("availability"), "In stock (33 available)"));
		assertThat(browser.script("return window.stillTheSamePage === true;")).isEqualTo(true);
	}

	@Test
	@Order(3)
	void aCustomerLogsInOnKeycloaksPageAndOrdersTwoProductsThatConfirmLive() throws IOException {
		addToCart(products.get(0), 1);
		addToCart(products.get(1), 2);
		browser.open("/cart");
		assertThat(browser.driverFindAll(".cart-line")).hasSize(2);
		browser.screenshot("03-cart");

		browser.click("#checkout");
		logInOnKeycloaksPage("alice");
		aliceLoggedInAt = System.nanoTime();
		browser.waitUntil(Duration.ofSeconds(10), ExpectedConditions.urlContains("/checkout"));
		String email = "alice+" + RUN + "@example.com";
		browser.type("#email", email);
		browser.click("#card-tok_ok");
		browser.screenshot("04-checkout");
		browser.click("#place-order");

		browser.waitUntil(Duration.ofSeconds(10), ExpectedConditions.urlMatches(".*/orders/[0-9a-f-]{36}$"));
		browser.script("window.stillTheSamePage = true;");
		String status = waitForFinalStatus();
		assertThat(status).isEqualTo("CONFIRMED");
		assertThat(browser.text("#order-status")).startsWith("Confirmed");
		assertThat(browser.script("return window.stillTheSamePage === true;"))
			.as("the status changed without a reload").isEqualTo(true);
		browser.screenshot("05-order-confirmed");
		confirmedOrderPath = URI.create(browser.url()).getPath();
		aliceEmail = email;

		assertThat(waitForMails(email)).as("emails to " + email).isGreaterThanOrEqualTo(1);
		browser.open("/orders");
		assertThat(browser.text("#order-history")).contains("Confirmed");
	}

	@Test
	@Order(4)
	void aConfirmedOrderIsCancelledAndRefundedFromItsPage() throws IOException {
		assertThat(confirmedOrderPath).as("the order confirmed by the test before").isNotNull();
		browser.open(confirmedOrderPath);
		assertThat(browser.text("#cancel-order")).isEqualTo("Cancel and refund this order");

		browser.click("#cancel-order");

		String status = browser.waitUntil(SAGA, driver -> {
			String now = driver.findElement(By.id("order-status")).getAttribute("data-status");
			return "CANCELLED".equals(now) || "FAILED".equals(now) ? now : null;
		});
		assertThat(status).isEqualTo("CANCELLED");
		assertThat(browser.text("#order-status")).contains("your payment was refunded");
		assertThat(browser.has("#cancel-order")).isFalse();
		browser.screenshot("06-order-refunded");
		int mails = browser.waitUntil(Duration.ofSeconds(30), driver -> {
			int sent = platform.mailsTo(aliceEmail);
			return (sent >= 2) ? sent : null;
		});
		assertThat(mails).as("the confirmation, then the refund email").isEqualTo(2);
	}

	@Test
	@Order(4)
	void aDeclinedCardEndsCancelledWithItsReasonInWords() throws IOException {
		addToCart(products.get(2), 1);
		browser.open("/checkout");
		browser.click("#card-tok_declined");
		browser.click("#place-order");
		browser.waitUntil(Duration.ofSeconds(10), ExpectedConditions.urlMatches(".*/orders/[0-9a-f-]{36}$"));
		assertThat(waitForFinalStatus()).isEqualTo("CANCELLED");
		assertThat(browser.text("#order-status")).contains("declined").contains("Nothing was charged");
		browser.screenshot("06-order-declined");
	}

	@Test
	@Order(5)
	void checkoutRefusesWhatIsNoLongerInStockInASentence() throws IOException {
		JsonNode product = products.get(3);
		addToCart(product, 1);
		platform.setStock(product.path("id").asString(), 0);
		browser.open("/checkout");
		browser.click("#place-order");
		browser.waitUntil(Duration.ofSeconds(10), ExpectedConditions.presenceOfElementLocated(By.id("checkout-trouble")));
		assertThat(browser.text("#checkout-trouble")).startsWith("Sorry, we do not have enough in stock");
		assertThat(browser.url()).endsWith("/checkout");
		browser.screenshot("07-out-of-stock");
		platform.setStock(product.path("id").asString(), 50);
		browser.open("/cart");
		browser.click(".cart-line button[aria-label^='Remove']");
		browser.waitUntil(Duration.ofSeconds(10), ExpectedConditions.presenceOfElementLocated(By.id("empty-cart")));
	}

	@Test
	@Order(6)
	void aCustomerIsKeptOutOfTheStaffPages() {
		browser.open("/admin");
		assertThat(browser.text("h1")).isEqualTo("Staff only");
	}

	/**
	 * The realm's storefront client issues access tokens for 60 s: a minute after the login the first one has
	 * expired, and the shopper's pages still work, because the storefront renewed the token with the refresh token
	 * (counted in storefront.login.renewals) rather than relaying the one it saved at login. Keycloak's own login
	 * session would hide a silent new login, so the count is what tells them apart.
	 */
	@Test
	@Order(7)
	void aLoginOutlivesItsFirstAccessToken() throws InterruptedException {
		double renewalsBefore = platform.storefrontCounter("storefront_login_renewals_total");
		// Past the first token's expiry, and at least 32 s from now: whatever token the session holds now is renewed
		// on the first call more than 30 s after it was issued (refresh-before-expiry), so the count must move.
		long sinceLogin = Duration.ofNanos(System.nanoTime() - aliceLoggedInAt).toSeconds();
		Thread.sleep(Duration.ofSeconds(Math.max(65 - sinceLogin, 32)));
		browser.open("/orders");
		assertThat(browser.url()).endsWith("/orders");
		assertThat(browser.text("#order-history")).contains("Confirmed");
		assertThat(platform.storefrontCounter("storefront_login_renewals_total"))
			.as("access tokens renewed by the storefront").isGreaterThan(renewalsBefore);
	}

	@Test
	@Order(8)
	void theAdminReplaysADeadLetter() throws IOException {
		browser.click("#logout");
		browser.waitUntil(Duration.ofSeconds(10), ExpectedConditions.presenceOfElementLocated(By.id("login")));
		String marker = "browser test " + RUN;
		platform.publishPoisonToPaymentCommands(marker);

		browser.click("#login");
		logInOnKeycloaksPage("admin");
		browser.waitUntil(Duration.ofSeconds(30), driver -> {
			browser.open("/admin/dead-letters?service=payment-service");
			return driver.getPageSource().contains(marker);
		});
		browser.screenshot("08-admin-dead-letters");
		browser.driverFindAll("tr.dead-letter")
			.stream()
			.filter(row -> row.getAttribute("innerHTML").contains(marker))
			.findFirst()
			.orElseThrow()
			.findElement(By.cssSelector("button.replay"))
			.click();
		assertThat(browser.text("#message")).startsWith("Sent back to be handled again");
	}

	private static void addToCart(JsonNode product, int quantity) throws IOException {
		browser.open("/products/" + product.path("id").asString());
		assertThat(browser.text("#product-name")).isEqualTo(product.path("name").asString());
		browser.screenshot("02-product");
		browser.type("#quantity", Integer.toString(quantity));
		browser.click("#add-to-cart");
		// The click submits the form; the page it leads to may still be loading when the click returns.
		browser.waitUntil(Duration.ofSeconds(10), ExpectedConditions.presenceOfElementLocated(By.id("message")));
		assertThat(browser.text("#message")).contains(product.path("name").asString());
	}

	private static void logInOnKeycloaksPage(String user) throws IOException {
		browser.waitUntil(Duration.ofSeconds(10), ExpectedConditions.presenceOfElementLocated(By.id("username")));
		assertThat(browser.url()).startsWith("http://127.0.0.1:8180/realms/shop/");
		browser.screenshot("00-keycloak-login");
		browser.type("#username", user);
		browser.type("#password", user);
		browser.click("#kc-login");
		browser.waitUntil(Duration.ofSeconds(10), ExpectedConditions.urlContains("localhost:8080"));
		assertThat(browser.text("#shopper")).isNotBlank();
	}

	private static String waitForFinalStatus() {
		return browser.waitUntil(SAGA, driver -> {
			String status = driver.findElement(By.id("order-status")).getAttribute("data-status");
			return List.of("CONFIRMED", "CANCELLED", "FAILED").contains(status) ? status : null;
		});
	}

	private static int waitForMails(String email) {
		return browser.waitUntil(Duration.ofSeconds(30), driver -> {
			int mails = platform.mailsTo(email);
			return (mails > 0) ? mails : null;
		});
	}

}

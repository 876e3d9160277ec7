package com.example.shop.browser;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What docs/openapi/README.md promises a newcomer, in a real browser: the gateway's Swagger UI lists every service's
 * description, "Authorize" logs in on Keycloak's own page (authorization code with PKCE, in the window Swagger UI
 * opens), and "Try it out" then calls the API through the gateway with that login's token: alice's orders answer
 * 200. Screenshots: {@code browser-tests/target/screenshots/swagger-*.png}.
 */
class SwaggerUiBrowserTests {

	private static final Duration PAGE = Duration.ofSeconds(20);

	private static Browser browser;

	@BeforeAll
	static void openTheBrowser() throws IOException {
		PlatformApi platform = PlatformApi.fromSystemProperties();
		browser = new Browser(platform.gateway(),
				Path.of(PlatformApi.property("browser.screenshots", "target/screenshots")));
	}

	@AfterAll
	static void closeTheBrowser() {
		if (browser != null) {
			browser.close();
		}
	}

	@Test
	void aCustomerLogsInFromSwaggerUiAndCallsTheApiThroughTheGateway() throws IOException {
		browser.open("/swagger-ui");
		WebElement services = browser.waitUntil(PAGE, ExpectedConditions.presenceOfElementLocated(By.id("select")));
		assertThat(new Select(services).getOptions()).extracting(WebElement::getText)
			.containsExactlyInAnyOrder("product-service", "inventory-service", "order-service", "payment-service",
					"notification-service");
		// The list is disabled while a description loads (the first one at once).
		browser.waitUntil(PAGE, ExpectedConditions.elementToBeClickable(By.id("select")));
		new Select(services).selectByVisibleText("order-service");
		browser.waitUntil(PAGE, ExpectedConditions.presenceOfElementLocated(By.id("operations-Orders-listOrders")));
		browser.screenshot("swagger-01-order-service");

		logInWithAuthorize("alice");

		browser.click("#operations-Orders-listOrders .opblock-summary");
		browser.waitUntil(PAGE, ExpectedConditions.elementToBeClickable(By.cssSelector(".try-out__btn"))).click();
		browser.waitUntil(PAGE, ExpectedConditions.elementToBeClickable(By.cssSelector(".execute"))).click();
		String status = browser.waitUntil(PAGE, (driver) -> {
			var cells = driver.findElements(By.cssSelector(".live-responses-table tr.response .response-col_status"));
			return cells.isEmpty() || cells.get(0).getText().isBlank() ? null : cells.get(0).getText().trim();
		});
		browser.screenshot("swagger-03-orders-answered");
		assertThat(status).as("GET /api/orders from Swagger UI, with the token of alice's login").isEqualTo("200");
		assertThat(browser.text(".live-responses-table tr.response .response-col_description")).contains("\"content\"");
	}

	/** The "keycloak" scheme of the Authorize dialog: Keycloak's login page in the window it opens, then back. */
	private static void logInWithAuthorize(String user) throws IOException {
		String swaggerWindow = browser.windowHandle();
		browser.click("button.authorize");
		WebElement keycloakScheme = browser.waitUntil(PAGE, (driver) -> driver
			.findElements(By.cssSelector(".modal-ux .auth-container"))
			.stream()
			.filter((container) -> container.getText().contains("keycloak"))
			.findFirst()
			.orElse(null));
		keycloakScheme.findElement(By.cssSelector("button.authorize")).click();
		String loginWindow = browser.waitUntil(PAGE, (driver) -> {
			Set<String> windows = driver.getWindowHandles();
			return windows.stream().filter((window) -> !window.equals(swaggerWindow)).findFirst().orElse(null);
		});
		browser.switchTo(loginWindow);
		browser.waitUntil(PAGE, ExpectedConditions.presenceOfElementLocated(By.id("username")));
		assertThat(browser.url()).startsWith("http://127.0.0.1:8180/realms/shop/");
		browser.screenshot("swagger-02-keycloak-login");
		browser.type("#username", user);
		browser.type("#password", user);
		browser.click("#kc-login");
		// Keycloak sends the code to oauth2-redirect.html, which hands it to Swagger UI and closes its window.
		browser.waitUntil(PAGE, (driver) -> driver.getWindowHandles().size() == 1);
		browser.switchTo(swaggerWindow);
		// Authorized: the scheme's button now says Logout.
		browser.waitUntil(PAGE, (driver) -> driver.findElements(By.cssSelector(".modal-ux .auth-container button.authorize"))
			.stream()
			.anyMatch((button) -> button.getText().contains("Logout")) ? Boolean.TRUE : null);
		browser.click(".modal-ux button.close-modal");
	}

}

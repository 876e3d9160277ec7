package com.example.shop.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven through ChromeDriver, both from the machine (Debian's {@code chromium} and
 * {@code chromium-driver}; {@code ./platform test} installs them when missing), never downloaded: the paths are
 * given, so Selenium Manager has nothing to fetch. A fresh profile per run; no background networking (the machine's
 * closed network refuses it and Chromium would keep trying). Screenshots of each page go to
 * {@code browser.screenshots}.
 */
final class Browser implements AutoCloseable {

	private final ChromeDriver driver;

	private final Path screenshots;

	private final String baseUrl;

	Browser(String baseUrl, Path screenshots) throws IOException {
		this.baseUrl = baseUrl;
		this.screenshots = Files.createDirectories(screenshots);
		ChromeOptions options = new ChromeOptions();
		options.setBinary(PlatformApi.property("browser.chromium", "/usr/bin/chromium"));
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--window-size=1280,1000",
				"--user-data-dir=" + Files.createTempDirectory("storefront-browser-profile"));
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(Path.of(PlatformApi.property("browser.chromedriver", "/usr/bin/chromedriver")).toFile())
			.usingAnyFreePort()
			.build();
		this.driver = new ChromeDriver(service, options);
		driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
	}

	void open(String path) {
		driver.get(baseUrl + path);
	}

	WebElement find(String css) {
		return driver.findElement(By.cssSelector(css));
	}

	List<WebElement> driverFindAll(String css) {
		return driver.findElements(By.cssSelector(css));
	}

	boolean has(String css) {
		return !driver.findElements(By.cssSelector(css)).isEmpty();
	}

	String text(String css) {
		return find(css).getText();
	}

	void click(String css) {
		find(css).click();
	}

	void type(String css, String text) {
		WebElement field = find(css);
		field.clear();
		field.sendKeys(text);
	}

	String url() {
		return driver.getCurrentUrl();
	}

	/** The window (or tab) the browser is in, to come back to after one a page opened. */
	String windowHandle() {
		return driver.getWindowHandle();
	}

	void switchTo(String windowHandle) {
		driver.switchTo().window(windowHandle);
	}

	Object script(String script) {
		return driver.executeScript(script);
	}

	<T> T waitUntil(Duration timeout, Function<WebDriver, T> condition) {
		return new WebDriverWait(driver, timeout, Duration.ofMillis(200)).until(condition);
	}

	/** A picture of the page as it is, named for the step. */
	void screenshot(String name) throws IOException {
		Files.write(screenshots.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
	}

	@Override
	public void close() {
		driver.quit();
	}

}

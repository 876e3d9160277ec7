package com.example.shop.testsupport;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The realm's client {@code swagger-ui} (deploy/keycloak/realm-shop.json) against a real Keycloak, the way the
 * gateway's Swagger UI uses it from a browser: the authorization code flow with PKCE, the code sent back only to
 * the UI's redirect page, and the code exchanged for tokens by the page itself, cross-origin, so the token endpoint
 * must allow the gateway's origin (CORS). The tokens are the ones the API accepts: the audience {@code shop-api}
 * and the user's roles.
 */
class SwaggerUiLoginTests {

	private static final String CLIENT = "swagger-ui";

	private static final String GATEWAY = "http://localhost:8080";

	private static final String REDIRECT = GATEWAY + "/swagger-ui/oauth2-redirect.html";

	private static final Pattern FORM_ACTION = Pattern
		.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");

	private static KeycloakServer keycloak;

	@BeforeAll
	static void startKeycloak() {
		keycloak = TestInfrastructure.keycloak();
	}

	@Test
	void aBrowserLogsInWithPkceAndExchangesTheCodeFromTheGatewaysOrigin() throws Exception {
		String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
		String code = logIn("alice", REDIRECT, challenge(verifier));

		HttpResponse<String> tokens = exchange(code, REDIRECT, verifier, GATEWAY);

		assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
		assertThat(tokens.headers().firstValue("Access-Control-Allow-Origin")).hasValue(GATEWAY);
		DocumentContext claims = claims(JsonPath.parse(tokens.body()).read("$.access_token", String.class));
		assertThat(claims.read("$.azp", String.class)).isEqualTo(CLIENT);
		assertThat(claims.read("$.iss", String.class)).isEqualTo(keycloak.issuerUri());
		assertThat(claims.read("$.realm_access.roles", List.class)).containsExactly("customer");
		Object audience = claims.read("$.aud");
		assertThat(audience instanceof List<?> list ? list : List.of(audience)).contains("shop-api");
	}

	@Test
	void theRedirectPageAt127001IsAllowedToo() throws Exception {
		String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
		String redirect = "http://127.0.0.1:8080/swagger-ui/oauth2-redirect.html";
		String code = logIn("admin", redirect, challenge(verifier));

		HttpResponse<String> tokens = exchange(code, redirect, verifier, "http://127.0.0.1:8080");

		assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
		assertThat(tokens.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://127.0.0.1:8080");
	}

	@Test
	void aCodeWithoutItsVerifierIsRefused() throws Exception {
		String code = logIn("bob", REDIRECT, challenge("the-verifier-the-browser-keeps-" + UUID.randomUUID()));

		String guessed = "a-verifier-an-eavesdropper-guessed-" + UUID.randomUUID();
		HttpResponse<String> tokens = exchange(code, REDIRECT, guessed, GATEWAY);

		assertThat(tokens.statusCode()).isEqualTo(400);
		assertThat(JsonPath.parse(tokens.body()).read("$.error", String.class)).isEqualTo("invalid_grant");
	}

	@Test
	void noCodeGoesToAPageOtherThanTheUisRedirectPageAndPkceIsRequired() throws Exception {
		Browser browser = new Browser();
		HttpResponse<String> elsewhere = browser.send(HttpRequest
			.newBuilder(authorize("http://localhost:8080/somewhere-else", challenge("v-" + UUID.randomUUID()))));
		assertThat(elsewhere.statusCode()).isEqualTo(400);
		assertThat(elsewhere.body()).doesNotContain("kc-form-login");

		URI withoutPkce = authorize(REDIRECT, null);
		HttpResponse<String> refused = browser.send(HttpRequest.newBuilder(withoutPkce));
		assertThat(refused.statusCode()).isEqualTo(302);
		assertThat(refused.headers().firstValue("Location")).hasValueSatisfying(location -> assertThat(location)
			.startsWith(REDIRECT)
			.contains("error=invalid_request"));
	}

	/** What the browser does: the realm's login page, the user's credentials, the redirect with the code. */
	private static String logIn(String user, String redirect, String challenge) throws Exception {
		Browser browser = new Browser();
		HttpResponse<String> page = browser.send(HttpRequest.newBuilder(authorize(redirect, challenge)));
		assertThat(page.statusCode()).as("the login page").isEqualTo(200);
		Matcher action = FORM_ACTION.matcher(page.body());
		assertThat(action.find()).as("a login form").isTrue();
		URI submit = URI.create(action.group(1).replace("&amp;", "&"));
		HttpResponse<String> loggedIn = browser.send(HttpRequest.newBuilder(submit)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form(Map.of("username", user, "password", user)))));
		assertThat(loggedIn.statusCode()).as("back to the redirect page, not %s", loggedIn.body()).isEqualTo(302);
		URI back = URI.create(loggedIn.headers().firstValue("Location").orElseThrow());
		assertThat(back.getScheme() + "://" + back.getAuthority() + back.getPath()).isEqualTo(redirect);
		Matcher code = Pattern.compile("(?:^|&)code=([^&]+)").matcher(back.getRawQuery());
		assertThat(code.find()).as("a code in " + back).isTrue();
		return code.group(1);
	}

	/** What Swagger UI's page does with the code: a cross-origin POST from the gateway's page. */
	private static HttpResponse<String> exchange(String code, String redirect, String verifier, String origin)
			throws Exception {
		return new Browser().send(HttpRequest.newBuilder(URI.create(keycloak.tokenUri()))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Origin", origin)
			.POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "authorization_code", "client_id",
					CLIENT, "code", code, "redirect_uri", redirect, "code_verifier", verifier)))));
	}

	private static URI authorize(String redirect, String challenge) {
		String query = "client_id=" + CLIENT + "&response_type=code&scope=openid&state=" + UUID.randomUUID()
				+ "&redirect_uri=" + URLEncoder.encode(redirect, StandardCharsets.UTF_8)
				+ ((challenge != null) ? "&code_challenge=" + challenge + "&code_challenge_method=S256" : "");
		return URI.create(keycloak.issuerUri() + "/protocol/openid-connect/auth?" + query);
	}

	/** RFC 7636: BASE64URL(SHA-256(verifier)), without padding. */
	private static String challenge(String verifier) throws Exception {
		byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
		return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
	}

	/**
	 * A browser's part of the flow: its cookies, and no redirect followed on its own. Keycloak marks its login
	 * cookies {@code Secure}, which a browser sends to a loopback address over plain HTTP (a secure context) but
	 * the JDK's {@code CookieManager} does not; so the cookies are kept here, by name, for the realm's one path.
	 */
	private static final class Browser {

		private final HttpClient http = HttpClient.newBuilder()
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(5))
			.build();

		private final Map<String, String> cookies = new LinkedHashMap<>();

		HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
			if (!this.cookies.isEmpty()) {
				request.header("Cookie", this.cookies.entrySet()
					.stream()
					.map(cookie -> cookie.getKey() + "=" + cookie.getValue())
					.collect(Collectors.joining("; ")));
			}
			HttpResponse<String> response = this.http.send(request.timeout(Duration.ofSeconds(15)).build(),
					HttpResponse.BodyHandlers.ofString());
			for (String set : response.headers().allValues("Set-Cookie")) {
				String pair = set.split(";", 2)[0];
				int equals = pair.indexOf('=');
				this.cookies.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
			}
			return response;
		}

	}

	private static String form(Map<String, String> fields) {
		return fields.entrySet()
			.stream()
			.map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
	}

	private static DocumentContext claims(String jwt) {
		String[] parts = jwt.split("\\.");
		return JsonPath.parse(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
	}

}

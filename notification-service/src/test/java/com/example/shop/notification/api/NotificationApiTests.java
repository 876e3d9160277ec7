package com.example.shop.notification.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.UUID;

import com.example.shop.notification.notifications.NotificationRepository;
import com.example.shop.notification.notifications.NotificationType;
import com.example.shop.notification.support.OrderServiceStandIn;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /api/notifications?orderId= over real HTTP against a PostgreSQL database of this class's own: the
 * order's notifications oldest first in the documented shape, {@code []} for an order without any, and a
 * problem+json 400 for a missing or malformed order id. (The SMTP port is never used here: nothing is queued.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA, Infrastructure.RABBITMQ })
class NotificationApiTests {

	@Autowired
	RestTestClient client;

	@LocalServerPort
	int port;

	@Autowired
	NotificationRepository notifications;

	@Test
	void listsTheOrdersNotificationsOldestFirst() {
		UUID orderId = UUID.randomUUID();
		Instant confirmedAt = Instant.parse("2026-11-30T10:00:00Z");
		Instant cancelledAt = Instant.parse("2026-11-30T11:00:00Z");
		// Inserted newest first, listed oldest first.
		UUID cancelled = this.notifications.insertIfAbsent(UUID.randomUUID(), NotificationType.ORDER_CANCELLED,
				OrderServiceStandIn.order(orderId, "ada@example.com", "CANCELLED", "CUSTOMER_REQUEST"), cancelledAt)
			.orElseThrow();
		UUID confirmed = this.notifications.insertIfAbsent(UUID.randomUUID(), NotificationType.ORDER_CONFIRMED,
				OrderServiceStandIn.order(orderId, "ada@example.com", "CONFIRMED", null), confirmedAt)
			.orElseThrow();
		this.notifications.markSent(confirmed, Instant.parse("2026-11-30T10:00:02Z"));
		this.notifications.markRetrying(cancelled, "SMTP delivery failed, retried later: ConnectException", cancelledAt);
		this.notifications.insertIfAbsent(UUID.randomUUID(), NotificationType.ORDER_CONFIRMED,
				OrderServiceStandIn.order(UUID.randomUUID(), "bob@example.com", "CONFIRMED", null), confirmedAt);

		this.client.get()
			.uri("/api/notifications?orderId={orderId}", orderId)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectBody()
			.jsonPath("$.length()").isEqualTo(2)
			.jsonPath("$[0].id").isEqualTo(confirmed.toString())
			.jsonPath("$[0].orderId").isEqualTo(orderId.toString())
			.jsonPath("$[0].channel").isEqualTo("EMAIL")
			.jsonPath("$[0].type").isEqualTo("ORDER_CONFIRMED")
			.jsonPath("$[0].recipient").isEqualTo("ada@example.com")
			.jsonPath("$[0].status").isEqualTo("SENT")
			.jsonPath("$[0].sentAt").isEqualTo("2026-11-30T10:00:02Z")
			.jsonPath("$[0].attempts").isEqualTo(1)
			.jsonPath("$[0].createdAt").isEqualTo("2026-11-30T10:00:00Z")
			.jsonPath("$[1].id").isEqualTo(cancelled.toString())
			.jsonPath("$[1].type").isEqualTo("ORDER_CANCELLED")
			.jsonPath("$[1].status").isEqualTo("RETRYING")
			.jsonPath("$[1].failureReason").isEqualTo("SMTP delivery failed, retried later: ConnectException")
			.jsonPath("$[0].orderSummary").doesNotExist()
			.jsonPath("$[0].sourceEventId").doesNotExist();
		String raw = this.client.get()
			.uri("/api/notifications?orderId={orderId}", orderId)
			.exchange()
			.returnResult(String.class)
			.getResponseBody();
		assertThat(raw).as("sentAt present as null while unsent").contains("\"sentAt\":null");
	}

	@Test
	void anOrderWithoutNotificationsIsAnEmptyList() {
		String raw = this.client.get()
			.uri("/api/notifications?orderId={orderId}", UUID.randomUUID())
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseBody();
		assertThat(raw).isEqualTo("[]");
	}

	@Test
	void missingOrderIdIsAValidationProblem() {
		this.client.get()
			.uri("/api/notifications")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/validation")
			.jsonPath("$.status").isEqualTo(400)
			.jsonPath("$.detail").isEqualTo("Required parameter 'orderId' is missing")
			.jsonPath("$.instance").isEqualTo("/api/notifications")
			.jsonPath("$.errors[0].field").isEqualTo("orderId")
			.jsonPath("$.errors[0].message").isEqualTo("is required");
	}

	@Test
	void orderIdThatIsNotAUuidIsAValidationProblem() {
		for (String bad : new String[] { "not-a-uuid", "1-2-3-4-5", "", "00000000-0000-4000-8000-00000000000g" }) {
			this.client.get()
				.uri(builder -> builder.path("/api/notifications").queryParam("orderId", bad).build())
				.exchange()
				.expectStatus()
				.isBadRequest()
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/validation")
				.jsonPath("$.status").isEqualTo(400)
				.jsonPath("$.detail").isEqualTo("Parameter 'orderId' must be a UUID but was '" + bad + "'")
				.jsonPath("$.errors[0].field").isEqualTo("orderId")
				.jsonPath("$.errors[0].message").isEqualTo("must be a UUID");
		}
	}

	/**
	 * An order id that is not UTF-8 once decoded used to make Tomcat's parameter parsing throw (a 500). Sent with
	 * the JDK's HttpClient, which keeps the encoding as given where RestTestClient would re-encode it.
	 */
	@Test
	void orderIdThatIsNotUtf8Is400() throws Exception {
		URI uri = URI.create("http://localhost:" + this.port + "/api/notifications?orderId=%C0%80");
		HttpResponse<String> response = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.build()
			.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.body()).contains("\"type\":\"https://shop.example.com/problems/invalid-encoding\"")
			.contains("\"detail\":\"The query parameter 'orderId' contains a percent-encoding that is malformed or not UTF-8\"")
			.contains("\"instance\":\"/api/notifications\"");
	}

}

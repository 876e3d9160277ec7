package com.example.shop.notification.api;

import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.OpenApiDescriptions;
import com.example.shop.testsupport.UsesInfrastructure;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * docs/openapi/notification-service.json is what notification-service serves at {@code /v3/api-docs}, fetched without a
 * token as the gateway's Swagger UI fetches it. After an API change, rewrite it with {@code -Dopenapi.write=true}
 * (libs/test-support's {@link OpenApiDescriptions} prints the whole command) and review the diff.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { OpenApiDescriptions.PUBLIC_ISSUER, OpenApiDescriptions.PUBLIC_GATEWAY })
@AutoConfigureRestTestClient
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA, Infrastructure.RABBITMQ, Infrastructure.TOKENS })
class OpenApiDescriptionTests {

	@Autowired
	RestTestClient client;

	@Test
	void docsOpenapiHoldsTheDescriptionTheServiceServes() {
		String served = this.client.get().uri("/v3/api-docs").exchange().expectStatus().isOk()
			.expectBody(String.class).returnResult().getResponseBody();
		OpenApiDescriptions.assertCommitted("notification-service", served);
	}

}

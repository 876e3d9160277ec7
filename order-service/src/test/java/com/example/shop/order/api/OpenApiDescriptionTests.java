package com.example.shop.order.api;

import com.example.shop.order.support.GrpcPeers;
import com.example.shop.order.support.OrderServiceTest;
import com.example.shop.testsupport.OpenApiDescriptions;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * docs/openapi/order-service.json is what order-service serves at {@code /v3/api-docs}, fetched without a token as the
 * gateway's Swagger UI fetches it. After an API change, rewrite it with {@code -Dopenapi.write=true}
 * (libs/test-support's {@link OpenApiDescriptions} prints the whole command) and review the diff.
 */
@OrderServiceTest
@TestPropertySource(properties = { OpenApiDescriptions.PUBLIC_ISSUER, OpenApiDescriptions.PUBLIC_GATEWAY })
class OpenApiDescriptionTests {

	@DynamicPropertySource
	static void grpcPeers(DynamicPropertyRegistry registry) {
		GrpcPeers.register(registry);
	}

	@Autowired
	RestTestClient client;

	@Test
	void docsOpenapiHoldsTheDescriptionTheServiceServes() {
		String served = this.client.get().uri("/v3/api-docs").exchange().expectStatus().isOk()
			.expectBody(String.class).returnResult().getResponseBody();
		OpenApiDescriptions.assertCommitted("order-service", served);
	}

}

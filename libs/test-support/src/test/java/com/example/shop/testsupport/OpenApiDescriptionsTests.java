package com.example.shop.testsupport;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The committed descriptions' layout (so a diff shows API changes, not springdoc's order) and what a test that finds
 * a stale or missing file says. Never with {@code -Dopenapi.write=true}'s writing: these descriptions are not real.
 */
class OpenApiDescriptionsTests {

	@Test
	void theLayoutSortsEveryObjectsKeysAndPutsOneElementOnALine() {
		String served = "{\"paths\":{\"/b\":{},\"/a\":{\"get\":{\"tags\":[\"x\",\"y\"],\"security\":[]}}},"
				+ "\"openapi\":\"3.1.0\"}";

		assertThat(OpenApiDescriptions.layout(served)).isEqualTo("""
				{
				  "openapi": "3.1.0",
				  "paths": {
				    "/a": {
				      "get": {
				        "security": [],
				        "tags": [
				          "x",
				          "y"
				        ]
				      }
				    },
				    "/b": {}
				  }
				}
				""");
	}

	@Test
	void aServiceWithoutAFileFailsAndSaysHowToWriteIt() {
		String served = "{\"openapi\":\"3.1.0\"}";
		assertThatThrownBy(() -> OpenApiDescriptions.assertCommitted("no-such-service", served, false))
			.isInstanceOf(AssertionError.class)
			.hasMessageContaining("docs/openapi/no-such-service.json is not the description no-such-service serves")
			.hasMessageContaining("there is no such file yet")
			.hasMessageContaining("./mvnw -pl no-such-service -am test -Dtest=OpenApiDescriptionTests")
			.hasMessageContaining("-Dopenapi.write=true");
	}

	@Test
	void aStaleFileFailsAndNamesTheFirstDifference() {
		String served = "{\"openapi\":\"3.1.0\"}";
		assertThatThrownBy(() -> OpenApiDescriptions.assertCommitted("product-service", served, false))
			.isInstanceOf(AssertionError.class)
			.hasMessageContaining("first at line 2: the file has '\"components\": {', the service '"
					+ "\"openapi\": \"3.1.0\"'");
	}

}

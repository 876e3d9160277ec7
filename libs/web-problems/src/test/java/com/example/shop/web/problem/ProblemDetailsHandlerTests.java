package com.example.shop.web.problem;

import com.example.shop.web.problem.sample.SampleApplication;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Each mapping of the handler, through the real MVC stack (the web layer is what is under test here).
 */
@SpringBootTest(classes = SampleApplication.class)
@AutoConfigureMockMvc
class ProblemDetailsHandlerTests {

	private static final String VALID = """
			{"name": "gear", "price": 12.50, "quantity": 2, "parts": [{"name": "tooth", "count": 3}]}""";

	@Autowired
	MockMvc mvc;

	@Test
	void validBodyPassesThrough() throws Exception {
		this.mvc.perform(post("/widgets").contentType(MediaType.APPLICATION_JSON).content(VALID))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.price").value(12.50));
	}

	@Test
	void invalidBodyListsEveryField() throws Exception {
		String body = """
				{"name": "", "price": -1, "quantity": 0, "parts": [{"name": "tooth", "count": 0}]}""";
		problem(post("/widgets").contentType(MediaType.APPLICATION_JSON).content(body), 400, "validation")
			.andExpect(jsonPath("$.title").value("Invalid request"))
			.andExpect(jsonPath("$.errors", hasSize(4)))
			.andExpect(jsonPath("$.errors[0].field").value("name"))
			.andExpect(jsonPath("$.errors[0].message").value("must not be blank"))
			.andExpect(jsonPath("$.errors[1].field").value("parts[0].count"))
			.andExpect(jsonPath("$.errors[2].field").value("price"))
			.andExpect(jsonPath("$.errors[2].message").value("must be greater than or equal to 0.00"))
			.andExpect(jsonPath("$.errors[3].field").value("quantity"));
	}

	@Test
	void invalidQueryParameterIsNamed() throws Exception {
		problem(get("/widgets").param("size", "0"), 400, "validation")
			.andExpect(jsonPath("$.errors", hasSize(1)))
			.andExpect(jsonPath("$.errors[0].field").value("size"))
			.andExpect(jsonPath("$.errors[0].message").value("must be greater than or equal to 1"));
		problem(get("/widgets").param("size", "10000"), 400, "validation")
			.andExpect(jsonPath("$.errors[0].field").value("size"))
			.andExpect(jsonPath("$.errors[0].message").value("must be less than or equal to 100"));
	}

	@Test
	void constraintViolationOfValidatedBeanIsNamed() throws Exception {
		problem(get("/widgets/batch").param("count", "11"), 400, "validation")
			.andExpect(jsonPath("$.errors", hasSize(1)))
			.andExpect(jsonPath("$.errors[0].field").value("count"))
			.andExpect(jsonPath("$.errors[0].message").value("must be less than or equal to 10"));
	}

	@Test
	void malformedJsonIsAMalformedRequest() throws Exception {
		problem(post("/widgets").contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"gear\", "), 400,
				"malformed-request")
			.andExpect(jsonPath("$.title").value("Malformed request body"))
			.andExpect(jsonPath("$.detail").value(containsString("not valid JSON")))
			.andExpect(jsonPath("$.errors").doesNotExist());
	}

	@Test
	void missingBodyIsAMalformedRequest() throws Exception {
		problem(post("/widgets").contentType(MediaType.APPLICATION_JSON), 400, "malformed-request");
	}

	@Test
	void wrongJsonTypeNamesTheField() throws Exception {
		problem(post("/widgets").contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\": \"gear\", \"price\": \"cheap\", \"quantity\": 1}"), 400, "validation")
			.andExpect(jsonPath("$.errors", hasSize(1)))
			.andExpect(jsonPath("$.errors[0].field").value("price"))
			.andExpect(jsonPath("$.errors[0].message").value("must be a number but was 'cheap'"));
	}

	@Test
	void wrongJsonTypeInsideAnArrayNamesThePath() throws Exception {
		problem(post("/widgets").contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\": \"gear\", \"price\": 1, \"quantity\": 1, \"parts\": [{\"name\": \"a\", \"count\": \"x\"}]}"),
				400, "validation")
			.andExpect(jsonPath("$.errors[0].field").value("parts[0].count"));
	}

	@Test
	void parameterOfWrongTypeIsNamed() throws Exception {
		problem(get("/widgets/not-a-uuid"), 400, "validation")
			.andExpect(jsonPath("$.detail").value("Parameter 'id' must be a UUID but was 'not-a-uuid'"))
			.andExpect(jsonPath("$.errors[0].field").value("id"))
			.andExpect(jsonPath("$.errors[0].message").value("must be a UUID"));
		problem(get("/widgets").param("size", "many"), 400, "validation")
			.andExpect(jsonPath("$.errors[0].field").value("size"))
			.andExpect(jsonPath("$.errors[0].message").value("must be a number"));
	}

	@Test
	void missingParameterIsNamed() throws Exception {
		problem(get("/widgets/search"), 400, "validation")
			.andExpect(jsonPath("$.errors[0].field").value("q"))
			.andExpect(jsonPath("$.errors[0].message").value("is required"));
	}

	@Test
	void applicationValidationProblemCarriesItsErrors() throws Exception {
		problem(get("/widgets/range").param("min", "5").param("max", "1"), 400, "validation")
			.andExpect(jsonPath("$.title").value("Invalid request"))
			.andExpect(jsonPath("$.detail").value("min 5 is greater than max 1"))
			.andExpect(jsonPath("$.errors", hasSize(1)))
			.andExpect(jsonPath("$.errors[0].field").value("min"))
			.andExpect(jsonPath("$.errors[0].message").value("must not be greater than max"));
	}

	@Test
	void unsupportedMediaTypeIs415() throws Exception {
		problem(post("/widgets").contentType(MediaType.TEXT_PLAIN).content("gear"), 415, "unsupported-media-type");
	}

	@Test
	void wrongMethodIs405() throws Exception {
		problem(delete("/widgets"), 405, "method-not-allowed").andExpect(header().exists("Allow"));
	}

	@Test
	void unknownPathIs404() throws Exception {
		problem(get("/nothing/here"), 404, "not-found")
			.andExpect(jsonPath("$.detail").value("No resource at GET /nothing/here"));
	}

	@Test
	void oversizedUploadIs413() throws Exception {
		problem(post("/widgets/upload"), 413, "payload-too-large");
	}

	@Test
	void applicationProblemsKeepTheirStatusAndDetail() throws Exception {
		String id = "3f1c3c0e-8a36-4a4e-9f57-0c8a3cfa5d11";
		problem(get("/widgets/" + id), 404, "not-found")
			.andExpect(jsonPath("$.title").value("Not Found"))
			.andExpect(jsonPath("$.detail").value("Widget " + id + " does not exist"));
		problem(post("/widgets/conflict"), 409, "conflict")
			.andExpect(jsonPath("$.detail").value("A widget with sku W-1 already exists"));
		problem(post("/widgets/unprocessable"), 422, "unprocessable")
			.andExpect(jsonPath("$.detail").value("Widget part P-9 is unknown"));
	}

	@Test
	void declaredResponseStatusIsKept() throws Exception {
		problem(get("/widgets/teapot"), 410, "gone").andExpect(jsonPath("$.detail").value("The tea is gone"));
	}

	@Test
	void unexpectedErrorIs500WithoutInternals() throws Exception {
		problem(get("/widgets/boom"), 500, "internal")
			.andExpect(jsonPath("$.title").value("Internal Server Error"))
			.andExpect(content().string(not(containsString("secret"))))
			.andExpect(content().string(not(containsString("IllegalStateException"))));
	}

	private ResultActions problem(org.springframework.test.web.servlet.RequestBuilder request, int status,
			String type) throws Exception {
		return this.mvc.perform(request)
			.andExpect(status().is(status))
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value(ProblemTypes.BASE + type))
			.andExpect(jsonPath("$.status").value(status))
			.andExpect(jsonPath("$.title").isNotEmpty())
			.andExpect(jsonPath("$.detail").isNotEmpty())
			.andExpect(jsonPath("$.instance").isNotEmpty());
	}

}

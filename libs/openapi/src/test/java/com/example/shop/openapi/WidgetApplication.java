package com.example.shop.openapi;

import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import com.example.shop.security.AccessRules;
import com.example.shop.security.Caller;

/** A service in miniature: an anonymous read, a write with a refusal of its own, and dead letters. */
@SpringBootApplication
@OpenAPIDefinition(info = @Info(title = "Widgets", version = "2.1.0"))
class WidgetApplication {

	@Bean
	AccessRules widgetAccess() {
		return rules -> rules.requestMatchers(HttpMethod.GET, "/api/widgets/*").permitAll();
	}

	record Widget(UUID id, String name) {
	}

	record NewWidget(@NotBlank String name) {
	}

	@RestController
	static class Widgets {

		@Operation(operationId = "getWidget", summary = "One widget")
		@SecurityRequirements
		@GetMapping("/api/widgets/{id}")
		Widget get(@PathVariable UUID id) {
			return new Widget(id, "sprocket");
		}

		@Operation(operationId = "createWidget", summary = "Make a widget")
		@ApiResponse(responseCode = "201", description = "Made")
		@ApiResponse(responseCode = "409", description = "A widget of this name exists")
		@PostMapping("/api/widgets")
		Widget create(@Valid @RequestBody NewWidget widget, Caller caller) {
			return new Widget(UUID.randomUUID(), widget.name());
		}

	}

	/** Where libs/messaging serves a service's dead letters. */
	@RestController
	static class DeadLetters {

		@Operation(operationId = "listDeadLetters")
		@GetMapping("/admin/dead-letters")
		List<String> list() {
			return List.of();
		}

		@Operation(operationId = "getDeadLetter")
		@GetMapping("/admin/dead-letters/{id}")
		String one(@PathVariable UUID id) {
			return "letter";
		}

	}

}

package com.example.shop.web.problem.sample;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import com.example.shop.web.problem.ConflictException;
import com.example.shop.web.problem.InvalidField;
import com.example.shop.web.problem.InvalidRequestException;
import com.example.shop.web.problem.NotFoundException;
import com.example.shop.web.problem.UnprocessableException;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MaxUploadSizeExceededException;

@RestController
@RequestMapping("/widgets")
class SampleController {

	private final WidgetLimits limits;

	SampleController(WidgetLimits limits) {
		this.limits = limits;
	}

	record Part(@NotBlank String name, @Min(1) int count) {
	}

	record WidgetRequest(@NotBlank @Size(max = 20) String name, @NotNull @DecimalMin("0.00") BigDecimal price,
			@Min(1) int quantity, List<@Valid Part> parts) {
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	WidgetRequest create(@Valid @RequestBody WidgetRequest request) {
		return request;
	}

	@GetMapping
	List<String> list(@RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
		return List.of("size=" + size);
	}

	@GetMapping("/search")
	List<String> search(@RequestParam String q) {
		return List.of(q);
	}

	@GetMapping("/{id}")
	String get(@PathVariable UUID id) {
		throw new NotFoundException("Widget " + id + " does not exist");
	}

	@GetMapping("/batch")
	String batch(@RequestParam int count) {
		this.limits.check(count);
		return "ok";
	}

	@GetMapping("/range")
	String range(@RequestParam int min, @RequestParam int max) {
		if (min > max) {
			throw new InvalidRequestException("min " + min + " is greater than max " + max,
					List.of(new InvalidField("min", "must not be greater than max")));
		}
		return "ok";
	}

	@PostMapping("/conflict")
	void conflict() {
		throw new ConflictException("A widget with sku W-1 already exists");
	}

	@PostMapping("/unprocessable")
	void unprocessable() {
		throw new UnprocessableException("Widget part P-9 is unknown");
	}

	@PostMapping("/upload")
	void upload() {
		throw new MaxUploadSizeExceededException(1024);
	}

	@GetMapping("/boom")
	void boom() {
		throw new IllegalStateException("connection to jdbc:postgresql://db-secret-host/widgets refused");
	}

	@GetMapping("/teapot")
	void teapot() {
		throw new OutOfTeaException();
	}

	@ResponseStatus(code = HttpStatus.GONE, reason = "The tea is gone")
	static class OutOfTeaException extends RuntimeException {

	}

}

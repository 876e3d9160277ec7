package com.example.shop.messaging.deadletter.web;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.example.shop.messaging.deadletter.DeadLetterStatus;
import com.example.shop.messaging.deadletter.DeadLetterView;
import com.example.shop.messaging.deadletter.DeadLetters;
import com.example.shop.web.problem.ConflictException;
import com.example.shop.web.problem.InvalidField;
import com.example.shop.web.problem.InvalidRequestException;
import com.example.shop.web.problem.NotFoundException;

/**
 * The admin API of this service's dead letters, {@code /admin/dead-letters} (the gateway exposes it as
 * {@code /api/admin/<service>/dead-letters}). Errors are problem+json (libs/web-problems): an unknown id 404,
 * an id that is not a UUID or a bad {@code status} / {@code limit} 400, replaying a discarded one 409.
 */
@RestController
@RequestMapping("/admin/dead-letters")
@Tag(name = "Dead letters", description = "Messages this service could not process, for operators (role admin)")
public class DeadLetterController {

	static final int DEFAULT_LIMIT = 100;

	static final int MAX_LIMIT = 1000;

	private final DeadLetters deadLetters;

	public DeadLetterController(DeadLetters deadLetters) {
		this.deadLetters = deadLetters;
	}

	/** Newest first; by default only PARKED ones; {@code status=ALL} for every status. */
	@Operation(operationId = "listDeadLetters", summary = "List dead letters, newest first")
	@GetMapping
	List<DeadLetterView> list(
			@Parameter(description = "PARKED, REPLAYED, DISCARDED or ALL")
			@RequestParam(defaultValue = "PARKED") String status,
			@Parameter(description = "Only those that failed on this topic or queue")
			@RequestParam(required = false) String source,
			@Parameter(description = "At most this many: 1 to 1000")
			@RequestParam(defaultValue = "100") String limit) {
		return this.deadLetters.list(status(status), (source == null || source.isBlank()) ? null : source, limit(limit))
			.stream()
			.map((letter) -> letter.view())
			.toList();
	}

	@Operation(operationId = "getDeadLetter", summary = "One dead letter")
	@GetMapping("/{id}")
	DeadLetterView one(@PathVariable UUID id) {
		return this.deadLetters.find(id).orElseThrow(() -> notFound(id)).view();
	}

	/** 202: handed to the outbox, which sends it to where it failed. */
	@Operation(operationId = "replayDeadLetter", summary = "Send a dead letter back to where it failed",
			description = "The original message, with its message id, so consumers' inboxes still deduplicate it")
	@ApiResponse(responseCode = "202", description = "Handed to the outbox; the dead letter is REPLAYED")
	@ApiResponse(responseCode = "409", description = "The dead letter was discarded")
	@PostMapping("/{id}/replay")
	ResponseEntity<Void> replay(@PathVariable UUID id) {
		return switch (this.deadLetters.replay(id)) {
			case REPLAYED -> ResponseEntity.status(HttpStatus.ACCEPTED).build();
			case NOT_FOUND -> throw notFound(id);
			case DISCARDED -> throw new ConflictException("Dead letter " + id + " was discarded and is not replayed");
		};
	}

	/** 204: marked DISCARDED, kept for audit, no longer listed by default. */
	@Operation(operationId = "discardDeadLetter", summary = "Give a dead letter up",
			description = "It becomes DISCARDED: kept for audit, no longer listed by default")
	@ApiResponse(responseCode = "204", description = "Discarded")
	@DeleteMapping("/{id}")
	ResponseEntity<Void> discard(@PathVariable UUID id) {
		if (!this.deadLetters.discard(id)) {
			throw notFound(id);
		}
		return ResponseEntity.noContent().build();
	}

	private static DeadLetterStatus status(String value) {
		String upper = value.trim().toUpperCase(Locale.ROOT);
		if (upper.equals("ALL")) {
			return null;
		}
		try {
			return DeadLetterStatus.valueOf(upper);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRequestException("status must be PARKED, REPLAYED, DISCARDED or ALL",
					List.of(new InvalidField("status", "must be PARKED, REPLAYED, DISCARDED or ALL")));
		}
	}

	private static int limit(String value) {
		try {
			int limit = Integer.parseInt(value.trim());
			if (limit >= 1 && limit <= MAX_LIMIT) {
				return limit;
			}
		}
		catch (NumberFormatException ex) {
			// answered below
		}
		throw new InvalidRequestException("limit must be a whole number from 1 to " + MAX_LIMIT,
				List.of(new InvalidField("limit", "must be a whole number from 1 to " + MAX_LIMIT)));
	}

	private static NotFoundException notFound(UUID id) {
		return new NotFoundException("No dead letter " + id);
	}

}

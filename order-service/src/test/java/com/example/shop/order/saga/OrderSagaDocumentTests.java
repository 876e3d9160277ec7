package com.example.shop.order.saga;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.example.shop.order.SagaTimeouts;
import com.example.shop.testsupport.RepositoryFiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/saga.md shows the saga table of the code, not a copy that drifts: its diagram and table of steps are
 * {@link SagaDocument#render}'s output for the default timeouts. When the table changes, rewrite the document
 * with {@code ./mvnw -pl order-service test -Dtest=OrderSagaDocumentTests -Dsaga.document.write=true} and
 * review the diff.
 */
class OrderSagaDocumentTests {

	/** application.yml's defaults (SagaTimeouts' own), which the document describes. */
	static final SagaTimeouts DEFAULTS = new SagaTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(60),
			Duration.ofSeconds(10), 2.0, Duration.ofMinutes(5), 5, Duration.ofDays(14));

	@Test
	void docsSagaMdShowsTheSagaTable() throws IOException {
		Path document = RepositoryFiles.path("docs/saga.md");
		String text = Files.readString(document, StandardCharsets.UTF_8);
		int begin = text.indexOf(SagaDocument.BEGIN);
		int end = text.indexOf(SagaDocument.END);
		assertThat(begin).as("docs/saga.md has the markers of the generated part").isNotNegative();
		assertThat(end).isGreaterThan(begin);
		String current = text.substring(begin, end + SagaDocument.END.length());
		String generated = SagaDocument.render(OrderSaga.of(DEFAULTS));
		if (Boolean.getBoolean("saga.document.write")) {
			Files.writeString(document, text.replace(current, generated), StandardCharsets.UTF_8);
			current = generated;
		}
		assertThat(current).as("docs/saga.md against the saga table; rewrite it with -Dsaga.document.write=true")
			.isEqualTo(generated);
	}

	@Test
	void everyAwaitedReplyHasOneTransitionAndEveryParticipantItsReplies() {
		OrderSaga saga = OrderSaga.of(DEFAULTS);
		assertThat(saga.repliesFrom(OrderSaga.Participant.INVENTORY)).extracting((rule) -> rule.type().getSimpleName())
			.containsExactly("StockReserved", "StockRejected", "ReservationConfirmed", "ReservationReleased",
					"StockReturned", "ReservationRefused");
		assertThat(saga.repliesFrom(OrderSaga.Participant.PAYMENT)).extracting((rule) -> rule.type().getSimpleName())
			.containsExactly("PaymentAuthorized", "PaymentDeclined", "PaymentCaptured", "PaymentVoided",
					"PaymentRefunded", "PaymentRefused");
	}

}

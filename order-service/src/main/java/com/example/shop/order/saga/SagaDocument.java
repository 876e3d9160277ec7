package com.example.shop.order.saga;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.example.shop.order.OrderStatus;
import com.example.shop.order.saga.OrderSaga.Awaited;
import com.example.shop.order.saga.OrderSaga.Request;
import com.example.shop.order.saga.OrderSaga.Step;

/**
 * docs/saga.md's diagram and table of steps, written from the saga table ({@link OrderSaga}), so the document
 * cannot tell another story than the code: {@code OrderSagaDocumentTests} fails when they differ.
 */
public final class SagaDocument {

	public static final String BEGIN = "<!-- generated from OrderSaga by OrderSagaDocumentTests: begin -->";

	public static final String END = "<!-- generated from OrderSaga: end -->";

	private SagaDocument() {
	}

	/** The generated part of docs/saga.md, markers included. */
	public static String render(OrderSaga saga) {
		StringBuilder out = new StringBuilder(BEGIN).append("\n\n```mermaid\nstateDiagram-v2\n");
		out.append("    [*] --> PENDING: POST /api/orders\\n(ReserveStock sent)\n");
		Map<OrderStatus, Step> byStatus = new LinkedHashMap<>();
		saga.steps().forEach((step) -> byStatus.put(step.status(), step));
		for (Step step : saga.steps()) {
			for (String edge : edges(step, byStatus)) {
				out.append("    ").append(edge).append('\n');
			}
		}
		out.append("    CANCELLED --> [*]\n    FAILED --> [*]: operator (docs/runbook.md)\n```\n\n");
		out.append("| status | the step | asks | sends | waits for | on timeout | compensated by | late replies |\n");
		out.append("|---|---|---|---|---|---|---|---|\n");
		for (Step step : saga.steps()) {
			out.append("| `").append(step.status()).append("` | ").append(step.purpose()).append(" | ")
				.append(step.participants().stream().map(OrderSaga.Participant::service).collect(Collectors.joining(", ")))
				.append(" | ").append(names(step.sends())).append(" | ")
				.append(step.awaits().stream().map(SagaDocument::awaited).collect(Collectors.joining("; "))).append(" | ")
				.append((step.timeout() == null) ? "" : "after " + human(step.timeout()) + ": " + step.onTimeout())
				.append(" | ").append(names(step.compensation())).append(" | ").append(String.join("; ", step.late()))
				.append(" |\n");
		}
		out.append("| `CANCELLED` | ended: nothing is held or charged | | | | | | StockReserved: ReleaseReservation; "
				+ "PaymentAuthorized: VoidPayment |\n");
		out.append("| `FAILED` | ended: an operator's case (docs/runbook.md) | | | | | | |\n");
		return out.append('\n').append(END).toString();
	}

	/** One arrow per (target, outcome), the replies that lead there joined, the target step's commands named. */
	private static List<String> edges(Step step, Map<OrderStatus, Step> byStatus) {
		Map<String, List<String>> labels = new LinkedHashMap<>();
		for (Awaited awaited : step.awaits()) {
			String key = awaited.leadsTo() + "|" + awaited.outcome();
			labels.computeIfAbsent(key, (k) -> new ArrayList<>()).add(awaited.name());
		}
		List<String> edges = new ArrayList<>();
		labels.forEach((key, replies) -> {
			OrderStatus target = OrderStatus.valueOf(key.substring(0, key.indexOf('|')));
			String outcome = key.substring(key.indexOf('|') + 1);
			String joiner = outcome.startsWith("both") ? " and " : " or ";
			// A reply into COMPENSATING says this step's ask failed: only the earlier steps need undoing.
			edges.add(step.status() + " --> " + target + ": " + String.join(joiner, replies) + detail(outcome)
					+ sent(step, target, byStatus, false));
		});
		for (Request request : step.requests()) {
			edges.add(step.status() + " --> " + request.leadsTo() + ": " + request.name() + detail(request.outcome())
					+ sent(step, request.leadsTo(), byStatus, true));
		}
		if (step.timeoutLeadsTo() != null) {
			String what = (step.timeoutLeadsTo() == OrderStatus.FAILED) ? "no answer after bounded re-sends"
					: "step timeout, reason TIMEOUT";
			edges.add(step.status() + " --> " + step.timeoutLeadsTo() + ": " + what
					+ sent(step, step.timeoutLeadsTo(), byStatus, true));
		}
		return edges;
	}

	private static String detail(String outcome) {
		return outcome.isEmpty() ? "" : "\\n" + outcome;
	}

	/**
	 * The commands sent on the way to {@code target}: into COMPENSATING, the compensations of the steps before
	 * {@code from}, and of {@code from} itself when its outcome is unknown (a cancel, a timeout); into another
	 * step, what it sends.
	 */
	private static String sent(Step from, OrderStatus target, Map<OrderStatus, Step> byStatus,
			boolean fromIncluded) {
		List<Class<?>> commands = new ArrayList<>();
		if (target == OrderStatus.COMPENSATING) {
			for (Step step : byStatus.values()) {
				if (step == from) {
					if (fromIncluded) {
						commands.addAll(step.compensation());
					}
					break;
				}
				commands.addAll(step.compensation());
			}
		}
		else if (byStatus.get(target) != null && byStatus.get(target) != from) {
			commands.addAll(byStatus.get(target).sends());
		}
		if (commands.isEmpty()) {
			return "";
		}
		return "\\n(" + names(commands).replace("`", "").replace(", ", " + ") + " sent)";
	}

	private static String awaited(Awaited awaited) {
		return awaited.name() + " -> " + awaited.leadsTo()
				+ (awaited.outcome().isEmpty() ? "" : " (" + awaited.outcome() + ")");
	}

	private static String names(List<? extends Class<?>> types) {
		return types.stream().map((type) -> "`" + type.getSimpleName() + "`").collect(Collectors.joining(", "));
	}

	private static String human(Duration duration) {
		if (duration.toDays() > 0 && duration.toHoursPart() == 0) {
			return duration.toDays() + " d";
		}
		return (duration.toSeconds() % 60 == 0 && duration.toMinutes() > 0) ? duration.toMinutes() + " min"
				: duration.toSeconds() + " s";
	}

}

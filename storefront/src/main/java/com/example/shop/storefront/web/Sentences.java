package com.example.shop.storefront.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.example.shop.storefront.shop.ShopProblem;

/**
 * What a shopper reads when the API refuses or cannot answer: a sentence about what happened and what to do, never
 * a status code, a stack trace or a blank page. The API's own {@code detail} is shown only where it is written for
 * people (the names of the lines that are short of stock).
 */
public final class Sentences {

	private static final Pattern LINE = Pattern.compile("^items\\[(\\d+)]");

	private static final Pattern AVAILABLE = Pattern.compile("available (\\d+)");

	private Sentences() {
	}

	public static String unavailable() {
		return "This part of the shop is not available right now. Nothing was lost: please try again in a minute.";
	}

	public static boolean isInsufficientStock(ShopProblem problem) {
		return problem.status() == 409 && "Insufficient stock".equalsIgnoreCase(problem.title());
	}

	/**
	 * A refused order placement (docs/api.md "Orders"); {@code lineNames} are the names of the order's lines in the
	 * order they were sent, so that "items[1].quantity" becomes the product's name.
	 */
	public static String ofCheckout(ShopProblem problem, List<String> lineNames) {
		if (isInsufficientStock(problem)) {
			return "Sorry, we do not have enough in stock for your cart right now. " + shortLines(problem, lineNames)
					+ "Please lower the quantity or remove the item.";
		}
		return switch (problem.status()) {
			case 409 -> "Your order is being placed already. Wait a moment, then press Place order again to see it.";
			case 422 -> "One of the products in your cart can no longer be ordered. Please remove it and try again.";
			case 400 -> "Some of the details are not right: " + fields(problem) + "Please correct them.";
			default -> of(problem);
		};
	}

	/** Any other refusal. */
	public static String of(ShopProblem problem) {
		return switch (problem.status()) {
			case 400 -> "That request was not quite right: " + fields(problem);
			case 403 -> "Only shop staff may do that.";
			case 404 -> "We could not find that. It may have been removed.";
			case 409 -> "That could not be done: " + problem.detail();
			case 412 -> "Someone else changed this in the meantime. Reload the page to see their change, then try again.";
			case 429 -> "You are going a little fast for us. Please wait " + seconds(problem.retryAfter())
					+ " and try again.";
			default -> "That did not work: " + problem.detail();
		};
	}

	private static String shortLines(ShopProblem problem, List<String> lineNames) {
		StringBuilder text = new StringBuilder();
		for (Map<String, Object> error : problem.errors()) {
			Matcher line = LINE.matcher(String.valueOf(error.get("field")));
			if (!line.find() || Integer.parseInt(line.group(1)) >= lineNames.size()) {
				continue;
			}
			String name = lineNames.get(Integer.parseInt(line.group(1)));
			Matcher available = AVAILABLE.matcher(String.valueOf(error.get("message")));
			text.append(available.find() ? "Only " + available.group(1) + " of " + name + " left. " : name + " is short. ");
		}
		return text.isEmpty() ? fields(problem) : text.toString();
	}

	private static String fields(ShopProblem problem) {
		StringBuilder text = new StringBuilder();
		for (Map<String, Object> error : problem.errors()) {
			text.append(error.getOrDefault("message", "")).append(". ");
		}
		return text.isEmpty() ? problem.detail() + " " : text.toString();
	}

	private static String seconds(Duration wait) {
		if (wait == null || wait.toSeconds() <= 1) {
			return "a second";
		}
		return wait.toSeconds() + " seconds";
	}

}

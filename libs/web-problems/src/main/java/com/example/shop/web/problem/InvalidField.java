package com.example.shop.web.problem;

/**
 * One entry of a validation problem's {@code errors} array.
 *
 * @param field the JSON property path ({@code price}, {@code items[0].quantity}) or request parameter name
 * @param message what is wrong with it, for a human
 */
public record InvalidField(String field, String message) {
}

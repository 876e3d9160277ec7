package com.example.shop.web.problem;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * A JSON string in a request body holds a control character. A {@link MismatchedInputException}, so Jackson adds
 * the path of the field on its way out and {@link ProblemDetailsHandler} names it, as for a value of the wrong
 * type.
 */
public class ControlCharacterInStringException extends MismatchedInputException {

	private static final long serialVersionUID = 1L;

	ControlCharacterInStringException(JsonParser parser) {
		super(parser, "String contains a control character", String.class);
	}

}

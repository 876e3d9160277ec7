package com.example.shop.web.problem;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.jdk.StringDeserializer;

/**
 * Jackson's own String deserializer, refusing strings with a control character other than tab, line feed and
 * carriage return (JSON lets any of them through as {@code \u0000}-style escapes). Registered for
 * {@code String} it also serves strings inside lists, arrays, maps and untyped values, so no DTO needs an
 * annotation.
 */
class ControlCharacterRejectingStringDeserializer extends StringDeserializer {

	@Override
	public String deserialize(JsonParser parser, DeserializationContext context) {
		String value = super.deserialize(parser, context);
		if (value != null && ControlCharacters.containsAnyButWhitespace(value)) {
			throw new ControlCharacterInStringException(parser);
		}
		return value;
	}

}

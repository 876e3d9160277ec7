package com.example.shop.web.problem;

/**
 * The characters no request value needs: C0 controls (U+0000 to U+001F, NUL included) and DEL (U+007F).
 * PostgreSQL refuses NUL in text outright (an error, hence a 500, deep in a query), and the others end up in
 * logs, headers and e-mails where they do harm (log forging, header injection, terminal escapes).
 */
final class ControlCharacters {

	private ControlCharacters() {
	}

	/** Any control character at all: for URLs, which have no use for any of them. */
	static boolean containsAny(CharSequence text) {
		for (int i = 0; i < text.length(); i++) {
			if (isControl(text.charAt(i))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Any control character other than tab, line feed and carriage return: for JSON strings, where a
	 * multi-line description or a tab-separated note is ordinary text.
	 */
	static boolean containsAnyButWhitespace(CharSequence text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (isControl(c) && c != '\t' && c != '\n' && c != '\r') {
				return true;
			}
		}
		return false;
	}

	private static boolean isControl(char c) {
		return c < 0x20 || c == 0x7F;
	}

}

package com.example.shop.web.problem;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes percent-encoded text as RFC 3986 and UTF-8 define it and refuses anything else. The JDK's UTF-8
 * decoder set to {@link CodingErrorAction#REPORT} rejects exactly what must not pass: bytes that never occur
 * in UTF-8 ({@code %FF}), overlong forms ({@code %C0%80} for NUL, {@code %C0%AE} for a dot, the classic
 * filter bypasses) and encoded UTF-16 surrogates ({@code %ED%A0%80}).
 */
final class StrictPercentDecoder {

	private StrictPercentDecoder() {
	}

	/**
	 * @param plusIsSpace whether {@code +} means a space (form-encoded query strings) or itself (paths)
	 * @return the decoded text, or {@code null} when an escape is not {@code %} and two hex digits or the bytes
	 * are not UTF-8
	 */
	static String decode(String raw, boolean plusIsSpace) {
		if (raw.indexOf('%') < 0 && (!plusIsSpace || raw.indexOf('+') < 0)) {
			return raw;
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
		for (int i = 0; i < raw.length(); i++) {
			char c = raw.charAt(i);
			if (c == '%') {
				if (i + 2 >= raw.length()) {
					return null;
				}
				int high = hex(raw.charAt(i + 1));
				int low = hex(raw.charAt(i + 2));
				if (high < 0 || low < 0) {
					return null;
				}
				bytes.write((high << 4) | low);
				i += 2;
			}
			else if (c == '+' && plusIsSpace) {
				bytes.write(' ');
			}
			else if (c <= 0xFF) {
				// Tomcat hands over the request line byte for byte (ISO-8859-1), so an unencoded byte is
				// checked as UTF-8 like an encoded one.
				bytes.write(c);
			}
			else {
				byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
				bytes.write(encoded, 0, encoded.length);
			}
		}
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes.toByteArray()))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

	/** ASCII hex digits only: {@link Character#digit} would also accept, say, full-width digits. */
	private static int hex(char c) {
		if (c >= '0' && c <= '9') {
			return c - '0';
		}
		if (c >= 'a' && c <= 'f') {
			return c - 'a' + 10;
		}
		if (c >= 'A' && c <= 'F') {
			return c - 'A' + 10;
		}
		return -1;
	}

}

package com.example.shop.web.problem.edge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * HTTP/1.1 over a plain socket, byte for byte as written: an HTTP client would re-encode a bad
 * percent-encoding, refuse a control character or a made-up method, and so never send what a fuzzer sends.
 */
public final class RawHttp {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final int port;

	public RawHttp(int port) {
		this.port = port;
	}

	/** A request without a body; {@code target} goes on the request line exactly as given. */
	public Response send(String method, String target) {
		return send(method, target, null, null);
	}

	public Response send(String method, String target, String contentType, String body) {
		byte[] content = (body != null) ? body.getBytes(StandardCharsets.UTF_8) : new byte[0];
		StringBuilder head = new StringBuilder()
			.append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
			.append("Host: localhost\r\n")
			.append("Connection: close\r\n");
		if (contentType != null) {
			head.append("Content-Type: ").append(contentType).append("\r\n");
		}
		if (body != null) {
			head.append("Content-Length: ").append(content.length).append("\r\n");
		}
		head.append("\r\n");
		byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
		byte[] request = new byte[headBytes.length + content.length];
		System.arraycopy(headBytes, 0, request, 0, headBytes.length);
		System.arraycopy(content, 0, request, headBytes.length, content.length);
		return sendBytes(request);
	}

	public Response sendBytes(byte[] request) {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(request);
			out.flush();
			return Response.parse(socket.getInputStream().readAllBytes());
		}
		catch (IOException ex) {
			throw new IllegalStateException("Raw request failed", ex);
		}
	}

	public record Response(int status, Map<String, String> headers, String body) {

		public String header(String name) {
			return this.headers.get(name.toLowerCase(Locale.ROOT));
		}

		@SuppressWarnings("unchecked")
		public Map<String, Object> json() {
			return JSON.readValue(this.body, Map.class);
		}

		@SuppressWarnings("unchecked")
		public java.util.List<Object> jsonList() {
			return JSON.readValue(this.body, java.util.List.class);
		}

		static Response parse(byte[] raw) throws IOException {
			String text = new String(raw, StandardCharsets.ISO_8859_1);
			int end = text.indexOf("\r\n\r\n");
			if (end < 0) {
				throw new IllegalStateException("No complete response: " + text);
			}
			String[] lines = text.substring(0, end).split("\r\n");
			int status = Integer.parseInt(lines[0].split(" ")[1]);
			Map<String, String> headers = new LinkedHashMap<>();
			for (int i = 1; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
			}
			byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
			if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
				body = dechunk(new java.io.ByteArrayInputStream(body));
			}
			return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
		}

		private static byte[] dechunk(InputStream in) throws IOException {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			while (true) {
				StringBuilder size = new StringBuilder();
				int c;
				while ((c = in.read()) != '\n' && c != -1) {
					if (c != '\r') {
						size.append((char) c);
					}
				}
				int length = Integer.parseInt(size.toString().split(";")[0].trim(), 16);
				if (length == 0) {
					return out.toByteArray();
				}
				out.write(in.readNBytes(length));
				in.readNBytes(2); // CRLF after the chunk
			}
		}

	}

}

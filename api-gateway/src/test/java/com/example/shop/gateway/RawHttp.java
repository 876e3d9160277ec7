package com.example.shop.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bytes over a plain {@link Socket}, for requests no HTTP client will send (control characters, invented
 * methods, broken request lines, a slow head) and for watching what the gateway does with a connection.
 */
final class RawHttp implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** A response as read off the socket. */
	record Response(int status, Map<String, String> headers, String body) {

		/** A header by its name in any letter case, or null. */
		String header(String name) {
			return headers.get(name.toLowerCase(Locale.ROOT));
		}

		JsonNode json() {
			return JSON.readTree(body);
		}

	}

	private final Socket socket;

	private RawHttp(Socket socket) {
		this.socket = socket;
	}

	static RawHttp connect(int port) {
		try {
			Socket socket = new Socket();
			socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
			socket.setSoTimeout(15_000);
			return new RawHttp(socket);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not connect to the gateway", ex);
		}
	}

	/** One request on a new connection, exactly these bytes, and the answer. */
	static Response exchange(int port, String request) {
		try (RawHttp connection = connect(port)) {
			return connection.send(request);
		}
	}

	/** A well-formed request line and head, with the given extra header lines (each ending in CRLF). */
	static String request(String method, String target, String extraHeaderLines) {
		return method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n" + extraHeaderLines + "\r\n";
	}

	Response send(String request) {
		write(request.getBytes(StandardCharsets.ISO_8859_1));
		return read();
	}

	void write(byte[] bytes) {
		try {
			socket.getOutputStream().write(bytes);
			socket.getOutputStream().flush();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not write to the gateway", ex);
		}
	}

	/** Reads one response: status line, headers, and a body of Content-Length bytes (or until closed). */
	Response read() {
		try {
			InputStream in = socket.getInputStream();
			String statusLine = line(in);
			if (statusLine == null) {
				throw new IllegalStateException("The gateway closed the connection without an answer");
			}
			int status = Integer.parseInt(statusLine.split(" ")[1]);
			Map<String, String> headers = new LinkedHashMap<>();
			for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
				int colon = header.indexOf(':');
				headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
			}
			byte[] body;
			if (headers.containsKey("content-length")) {
				body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
			}
			else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
				body = chunked(in);
			}
			else {
				body = in.readAllBytes();
			}
			return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not read the gateway's answer", ex);
		}
	}

	/**
	 * Waits for the gateway to close the connection: true when it did (end of stream or reset) before
	 * the socket's read timeout, false when it was still open.
	 */
	boolean closedByServer(int timeoutMillis) {
		try {
			socket.setSoTimeout(timeoutMillis);
			return socket.getInputStream().read() == -1;
		}
		catch (SocketTimeoutException stillOpen) {
			return false;
		}
		catch (IOException reset) {
			return true;
		}
	}

	private static byte[] chunked(InputStream in) throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(), 16)) {
			body.writeBytes(in.readNBytes(size));
			line(in);
		}
		line(in);
		return body.toByteArray();
	}

	/** One CRLF-terminated line, without the CRLF; null at the end of the stream. */
	private static String line(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		for (int b = in.read(); b != '\n'; b = in.read()) {
			if (b == -1) {
				return (line.size() == 0) ? null : line.toString(StandardCharsets.ISO_8859_1);
			}
			if (b != '\r') {
				line.write(b);
			}
		}
		return line.toString(StandardCharsets.ISO_8859_1);
	}

	@Override
	public void close() {
		try {
			socket.close();
		}
		catch (IOException ignored) {
			// Closing a test socket: nothing to do about a failure.
		}
	}

}

package com.example.shop.notification.live;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket opening handshake written by hand on a plain socket: to see the HTTP answer of a refused handshake
 * (status and problem+json body), and to play a client that completes the handshake and then never reads nor
 * answers pings (a half-open connection).
 */
final class RawHandshake implements AutoCloseable {

	private final Socket socket;

	private RawHandshake(Socket socket) {
		this.socket = socket;
	}

	/** A handshake without any token. */
	static RawHandshake open(int port, String path) throws IOException {
		return open(port, path, "");
	}

	/** A handshake with {@code Authorization: Bearer <token>}. */
	static RawHandshake open(int port, String path, String token) throws IOException {
		return openWithHeaders(port, path, (token == null || token.isEmpty()) ? "" : "Authorization: Bearer " + token + "\r\n");
	}

	/** A handshake with these extra header lines (each ending in CRLF). */
	static RawHandshake openWithHeaders(int port, String path, String headers) throws IOException {
		Socket socket = new Socket("127.0.0.1", port);
		socket.setSoTimeout(10_000);
		byte[] key = new byte[16];
		ThreadLocalRandom.current().nextBytes(key);
		String request = "GET " + path + " HTTP/1.1\r\n" + "Host: 127.0.0.1:" + port + "\r\n" + "Upgrade: websocket\r\n"
				+ "Connection: Upgrade\r\n" + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
				+ "Sec-WebSocket-Version: 13\r\n" + headers + "\r\n";
		socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
		socket.getOutputStream().flush();
		return new RawHandshake(socket);
	}

	/** The response head (status line and headers). */
	String head() throws IOException {
		InputStream in = this.socket.getInputStream();
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
			int b = in.read();
			if (b < 0) {
				break;
			}
			head.write(b);
		}
		return head.toString(StandardCharsets.US_ASCII);
	}

	/** The status line and headers, then the body (a refused handshake closes the connection after it). */
	Response response() throws IOException {
		String head = head();
		int status = Integer.parseInt(head.substring(9, 12));
		String body = new String(this.socket.getInputStream().readNBytes(contentLength(head)), StandardCharsets.UTF_8);
		return new Response(status, head, body);
	}

	private static int contentLength(String head) {
		for (String line : head.split("\r\n")) {
			if (line.toLowerCase().startsWith("content-length:")) {
				return Integer.parseInt(line.substring("content-length:".length()).trim());
			}
		}
		return 0;
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	record Response(int status, String head, String body) {
	}

}

package com.example.shop.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports that are free right now: for a server a test starts on a port it must name up front (a
 * process's command line, a mail server), and for an address where nothing listens (connecting to it is
 * refused, like a stopped instance). Another process may take the port before it is used; the tests that
 * need one start their server at once.
 * <p>
 * The ports come from below the operating system's ephemeral range (Linux 32768-60999, macOS 49152-65535), not from
 * port 0: a port the system handed out as ephemeral is handed out again as the local end of the next outgoing
 * connection, and with a dozen JVMs connecting to PostgreSQL, Kafka and each other one of those took a port in the
 * seconds before a service process bound it ("Port already in use", seen in the system tests).
 */
public final class FreePorts {

	private static final int LOWEST = 15000;

	private static final int HIGHEST = 32000;

	private static final int ATTEMPTS = 200;

	private FreePorts() {
	}

	public static int one() {
		return several(1)[0];
	}

	/** All different: the sockets are held open together while the numbers are picked. */
	public static int[] several(int count) {
		List<ServerSocket> sockets = new ArrayList<>();
		try {
			for (int i = 0; i < count; i++) {
				sockets.add(bindOne());
			}
			return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
		}
		finally {
			for (ServerSocket socket : sockets) {
				try {
					socket.close();
				}
				catch (IOException ignored) {
					// it was only held to reserve the number
				}
			}
		}
	}

	/** A socket bound to a random port of the range that nothing uses now. */
	private static ServerSocket bindOne() {
		IOException last = null;
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			int port = ThreadLocalRandom.current().nextInt(LOWEST, HIGHEST + 1);
			try {
				return new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
			}
			catch (IOException taken) {
				last = taken;
			}
		}
		throw new UncheckedIOException("no free loopback port between " + LOWEST + " and " + HIGHEST + " in "
				+ ATTEMPTS + " tries", last);
	}

}

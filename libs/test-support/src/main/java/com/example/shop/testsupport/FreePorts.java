package com.example.shop.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Loopback ports that are free right now: for a server a test starts on a port it must name up front (a
 * process's command line, a mail server), and for an address where nothing listens (connecting to it is
 * refused, like a stopped instance). Another process may take the port before it is used; the tests that
 * need one start their server at once.
 */
public final class FreePorts {

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
				sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
			}
			return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
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

}

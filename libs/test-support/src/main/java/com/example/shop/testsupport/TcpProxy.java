package com.example.shop.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on 127.0.0.1 that a test can switch off and on, to take a real broker "down" for one
 * client without touching the broker the other test classes share. Closed, it refuses connections and cuts
 * the open ones, which is what a client sees of a crashed broker.
 */
public final class TcpProxy implements AutoCloseable {

	private final int port;

	private final String targetHost;

	private final int targetPort;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private volatile ServerSocket server;

	private TcpProxy(int port, String targetHost, int targetPort) {
		this.port = port;
		this.targetHost = targetHost;
		this.targetPort = targetPort;
	}

	/** A proxy on a free port, not listening yet. */
	public static TcpProxy to(String targetHost, int targetPort) {
		try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return new TcpProxy(probe.getLocalPort(), targetHost, targetPort);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public int port() {
		return this.port;
	}

	/** Starts listening; does nothing when already open. */
	public synchronized void open() {
		if (this.server != null) {
			return;
		}
		try {
			ServerSocket listening = new ServerSocket();
			listening.setReuseAddress(true);
			listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port));
			this.server = listening;
			Thread.ofVirtual().name("tcp-proxy-" + this.port).start(() -> accept(listening));
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot listen on " + this.port, ex);
		}
	}

	/** Stops listening and cuts every forwarded connection. */
	@Override
	public synchronized void close() {
		ServerSocket listening = this.server;
		this.server = null;
		closeQuietly(listening);
		this.sockets.forEach(TcpProxy::closeQuietly);
		this.sockets.clear();
	}

	private void accept(ServerSocket listening) {
		while (!listening.isClosed()) {
			try {
				Socket client = listening.accept();
				if (!track(listening, client)) {
					continue;
				}
				Socket upstream = new Socket(this.targetHost, this.targetPort);
				if (!track(listening, upstream)) {
					closeQuietly(client);
					continue;
				}
				Thread.ofVirtual().start(() -> pump(client, upstream));
				Thread.ofVirtual().start(() -> pump(upstream, client));
			}
			catch (IOException closed) {
				// closed by close(), or the target refused: the client sees its connection end
			}
		}
	}

	/**
	 * Keeps the socket for {@link #close()} to cut, unless close() ran since it was accepted: then it is closed at
	 * once, so that no connection accepted just before close() outlives it.
	 */
	private synchronized boolean track(ServerSocket listening, Socket socket) {
		if (this.server != listening) {
			closeQuietly(socket);
			return false;
		}
		this.sockets.add(socket);
		return true;
	}

	private static void pump(Socket from, Socket to) {
		byte[] buffer = new byte[16 * 1024];
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			int read;
			while ((read = in.read(buffer)) >= 0) {
				out.write(buffer, 0, read);
				out.flush();
			}
		}
		catch (IOException ended) {
			// either side went away
		}
		finally {
			closeQuietly(from);
			closeQuietly(to);
		}
	}

	private static void closeQuietly(AutoCloseable closeable) {
		if (closeable != null) {
			try {
				closeable.close();
			}
			catch (Exception ignored) {
				// closing anyway
			}
		}
	}

}

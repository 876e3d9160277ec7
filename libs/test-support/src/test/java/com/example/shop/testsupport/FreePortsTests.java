package com.example.shop.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FreePortsTests {

	@Test
	void portsAreDistinctBindableAndBelowTheEphemeralRange() throws IOException {
		int[] ports = FreePorts.several(20);

		assertThat(Arrays.stream(ports).distinct().count()).isEqualTo(20);
		int firstEphemeral = firstEphemeralPort();
		assertThat(Arrays.stream(ports).max().getAsInt()).isLessThan(firstEphemeral);
		for (int port : ports) {
			try (ServerSocket bound = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
				assertThat(bound.getLocalPort()).isEqualTo(port);
			}
		}
	}

	/** Linux says where its range starts; elsewhere the lowest common one (macOS, Windows: 49152). */
	private static int firstEphemeralPort() throws IOException {
		Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
		if (!Files.isReadable(range)) {
			return 49152;
		}
		return Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[0]);
	}

}

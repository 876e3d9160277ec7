package com.example.shop.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.example.shop.testsupport.FreePorts;

/**
 * One service of the platform running as its own JVM from its packaged jar, as {@code ./platform up}
 * runs it: same jar, same lean heap, configuration by command-line properties.
 */
final class ServiceProcess implements AutoCloseable {

	private static final Path ROOT = Path.of(System.getProperty("platform.root", "..")).toAbsolutePath().normalize();

	private static final Path LOGS = Path.of(System.getProperty("platform.logs", "target/service-logs"));

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(2))
		.version(HttpClient.Version.HTTP_1_1)
		.build();

	private final String name;

	private final int httpPort;

	private final int managementPort;

	private final Process process;

	private final Path log;

	private ServiceProcess(String name, int httpPort, int managementPort, Process process, Path log) {
		this.name = name;
		this.httpPort = httpPort;
		this.managementPort = managementPort;
		this.process = process;
		this.log = log;
	}

	/**
	 * Starts {@code <module>/target/<module>.jar} with the given properties on {@code httpPort}, its actuator on a
	 * free management port.
	 */
	static ServiceProcess start(String module, String instanceName, int httpPort, List<String> properties) {
		Path jar = ROOT.resolve(module).resolve("target").resolve(module + ".jar");
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException(jar + " is missing: package the services first (./mvnw package)");
		}
		List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC",
				"-XX:TieredStopAtLevel=1", "-jar", jar.toString(), "--server.port=" + httpPort));
		int managementPort = freePort();
		command.add("--management.server.port=" + managementPort);
		properties.forEach(property -> command.add("--" + property));
		try {
			Files.createDirectories(LOGS);
			Path log = LOGS.resolve(instanceName + ".log");
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			return new ServiceProcess(instanceName, httpPort, managementPort, process, log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static int freePort() {
		return FreePorts.one();
	}

	String name() {
		return name;
	}

	String baseUrl() {
		return "http://127.0.0.1:" + httpPort;
	}

	int httpPort() {
		return httpPort;
	}

	/** The actuator, on the management port. */
	String managementUrl() {
		return "http://127.0.0.1:" + managementPort;
	}

	/** Blocks until the actuator says UP; fails with the tail of the log if the process dies or times out. */
	ServiceProcess awaitHealthy(Duration timeout) {
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			if (!process.isAlive()) {
				throw new IllegalStateException(name + " exited with " + process.exitValue() + "\n" + logTail());
			}
			try {
				HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(managementUrl() + "/actuator/health"))
					.timeout(Duration.ofSeconds(2))
					.build(), HttpResponse.BodyHandlers.ofString());
				if (health.statusCode() == 200 && health.body().contains("\"UP\"")) {
					return this;
				}
			}
			catch (IOException notYet) {
				// still starting
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			sleep(Duration.ofMillis(500));
		}
		throw new IllegalStateException(name + " not healthy within " + timeout + "\n" + logTail());
	}

	/** SIGTERM, as an orchestrator stops a container: graceful shutdown must deregister the instance. */
	void stopGracefully() {
		process.destroy();
		try {
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException(name + " ignored SIGTERM for 30 s\n" + logTail());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** SIGKILL: a crash, with no chance to finish anything in flight or to deregister. */
	void crash() {
		process.destroyForcibly();
		try {
			process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * SIGSTOP: the process is frozen, as a JVM in a long GC pause or a host that stopped scheduling it. Its
	 * sockets stay open, so callers get no answer rather than a refusal. {@link #resume()} lets it go on.
	 */
	void pause() {
		signal("STOP");
	}

	/** SIGCONT after {@link #pause()}. */
	void resume() {
		signal("CONT");
	}

	private void signal(String signal) {
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
			if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
				throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	String logTail() {
		try {
			List<String> lines = Files.readAllLines(log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	@Override
	public void close() {
		if (process.isAlive()) {
			process.destroy();
			try {
				if (!process.waitFor(20, TimeUnit.SECONDS)) {
					process.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				process.destroyForcibly();
				Thread.currentThread().interrupt();
			}
		}
	}

	static void sleep(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String javaExecutable() {
		return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
	}

}

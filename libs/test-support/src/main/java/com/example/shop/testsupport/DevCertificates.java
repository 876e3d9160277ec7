package com.example.shop.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A development CA and certificates for the {@code mtls} profile, made by the same script as {@code ./platform}'s
 * ({@code tools/mtls/dev-certs}, the JDK's keytool), so the tests prove the certificates users get. Each call with a
 * new directory makes a new CA: a second one stands for a stranger whose certificate no service trusts.
 */
public final class DevCertificates {

	/** The keystores' password (development only). */
	public static final String PASSWORD = "dev-mtls-tests";

	private final Path directory;

	private DevCertificates(Path directory) {
		this.directory = directory;
	}

	/** A CA in {@code directory} and a certificate of each service signed by it. */
	public static DevCertificates create(Path directory, String... services) {
		List<String> command = new ArrayList<>(List.of("bash",
				RepositoryFiles.find(Path.of("tools", "mtls", "dev-certs")).toString(), directory.toString()));
		command.addAll(List.of(services));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
		builder.environment().put("MTLS_KEYSTORE_PASSWORD", PASSWORD);
		try {
			Process process = builder.start();
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("tools/mtls/dev-certs took longer than 60 s");
			}
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (process.exitValue() != 0) {
				throw new IllegalStateException("tools/mtls/dev-certs failed: " + output);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("could not run tools/mtls/dev-certs", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		return new DevCertificates(directory);
	}

	/** {@code MTLS_DIR} of the profile. */
	public Path directory() {
		return this.directory;
	}

	/** A service's key and certificate (PKCS12, alias {@code service}). */
	public Path keyStore(String service) {
		return this.directory.resolve(service + ".p12");
	}

	/** The CA's certificate (PKCS12). */
	public Path trustStore() {
		return this.directory.resolve("truststore.p12");
	}

}

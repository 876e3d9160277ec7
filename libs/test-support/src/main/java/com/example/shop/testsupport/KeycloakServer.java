package com.example.shop.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * One real Keycloak per test JVM with the platform's realm {@code shop}, imported from
 * {@code deploy/keycloak/realm-shop.json} (the file {@code ./platform}, docker compose and Kubernetes use), so
 * tests get tokens exactly as the services will see them: the demo users' fixed ids, their roles, the
 * {@code shop-api} audience, the service clients' scopes.
 * <ul>
 * <li>Local: Keycloak's own distribution ({@code org.keycloak:keycloak-quarkus-dist}), run with the JDK that
 * runs the tests, on free loopback ports, with a fresh database of {@link TestInfrastructure#postgres()}. The
 * distribution is {@code $KEYCLOAK_HOME} when set; otherwise it is unpacked (and built for PostgreSQL) once
 * into {@code ~/.cache/shop-platform/keycloak-<version>}, from the zip in the local Maven repository, or from
 * Maven Central when that has none.</li>
 * <li>Testcontainers: the official image, {@code start-dev} with the realm copied into its import
 * directory.</li>
 * </ul>
 * Stopped when the test JVM exits. Tests that only need "a valid token" of some shape use {@link TestTokens},
 * which needs no Keycloak at all.
 */
public final class KeycloakServer {

	public static final String VERSION = "26.5.6";

	public static final String REALM = "shop";

	/** The development-only public client with the password grant (the realm's {@code shop-cli}). */
	public static final String CLI_CLIENT = "shop-cli";

	private static final Logger log = LoggerFactory.getLogger(KeycloakServer.class);

	private static final String IMAGE = "quay.io/keycloak/keycloak:" + VERSION;

	private static final String DISTRIBUTION = "org/keycloak/keycloak-quarkus-dist/" + VERSION
			+ "/keycloak-quarkus-dist-" + VERSION + ".zip";

	private static final String MAVEN_CENTRAL = "https://repo.maven.apache.org/maven2/";

	private static final String REALM_FILE = "deploy/keycloak/realm-shop.json";

	/** Build-time options, applied once to the cached distribution so that every start is {@code --optimized}. */
	private static final List<String> BUILD_OPTIONS = List.of("--db=postgres", "--health-enabled=true");

	/** Marks a cached distribution that is unpacked and built completely. */
	private static final String READY_MARKER = ".shop-platform-ready";

	/** Keycloak's exit code after it rebuilt itself for changed build options: start it again (as kc.sh does). */
	private static final int REBUILT = 10;

	private static final Duration STARTUP = Duration.ofMinutes(4);

	private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);

	private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

	private final String baseUrl;

	private final Runnable stop;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(HTTP_TIMEOUT)
		.build();

	private KeycloakServer(String baseUrl, Runnable stop) {
		this.baseUrl = baseUrl;
		this.stop = stop;
	}

	static KeycloakServer local() {
		Distribution distribution = Distribution.find();
		DatabaseCoordinates database = TestInfrastructure.postgres().createDatabase("keycloak");
		int[] ports = FreePorts.several(2);
		int httpPort = ports[0];
		int managementPort = ports[1];
		String baseUrl = "http://127.0.0.1:" + httpPort;
		LocalProcess process = LocalProcess.start(distribution, realmFile(), database, httpPort, managementPort);
		KeycloakServer server = new KeycloakServer(baseUrl, process::stop);
		try {
			server.awaitRealm(process);
		}
		catch (RuntimeException ex) {
			process.stop();
			throw ex;
		}
		return server;
	}

	@SuppressWarnings("resource") // stopped by stop() or by Testcontainers' reaper when the JVM exits
	static KeycloakServer container() {
		GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(IMAGE))
			.withCopyFileToContainer(MountableFile.forHostPath(realmFile()), "/opt/keycloak/data/import/realm-shop.json")
			.withEnv("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx384m")
			// Development mode: in-container H2, no hostname (the issuer is the URL a request used: this one).
			.withCommand("start-dev", "--import-realm", "--health-enabled=true", "--http-port=8080")
			.withExposedPorts(8080, 9000)
			.waitingFor(Wait.forHttp("/health/ready").forPort(9000).withStartupTimeout(STARTUP));
		container.start();
		KeycloakServer server = new KeycloakServer(
				"http://" + container.getHost() + ":" + container.getMappedPort(8080), container::stop);
		server.awaitRealm(null);
		return server;
	}

	/** {@code http://127.0.0.1:<port>}: the server's public address, the prefix of every URI below. */
	public String baseUrl() {
		return baseUrl;
	}

	/** The realm's issuer: the {@code iss} of every token, what {@code shop.security.issuer-uri} is set to. */
	public String issuerUri() {
		return baseUrl + "/realms/" + REALM;
	}

	public String jwkSetUri() {
		return issuerUri() + "/protocol/openid-connect/certs";
	}

	public String tokenUri() {
		return issuerUri() + "/protocol/openid-connect/token";
	}

	/** An access token of a realm user by the password grant of {@code shop-cli} (demo users: alice, bob, admin). */
	public String passwordToken(String username, String password) {
		return accessToken(requestToken(Map.of("grant_type", "password", "client_id", CLI_CLIENT, "username", username,
				"password", password), null, null));
	}

	/** An access token of a service client by the client-credentials grant (client secret in Basic auth). */
	public String clientCredentialsToken(String clientId, String secret) {
		return accessToken(requestToken(Map.of("grant_type", "client_credentials"), clientId, secret));
	}

	/**
	 * A request to the token endpoint as it is: any form, optionally authenticated as a confidential client with
	 * HTTP Basic. For tests of refusals (status and OAuth error).
	 */
	public TokenResponse requestToken(Map<String, String> form, String clientId, String clientSecret) {
		String body = form.entrySet()
			.stream()
			.map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(tokenUri()))
			.timeout(HTTP_TIMEOUT)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (clientId != null) {
			// RFC 6749 2.3.1: both parts form-urlencoded before the Base64 encoding.
			String credentials = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
					+ URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
			request.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
		}
		HttpResponse<String> response = send(request.build());
		return new TokenResponse(response.statusCode(), response.body());
	}

	/** What the token endpoint answered. */
	public record TokenResponse(int status, String body) {
	}

	/** The token endpoint did not issue a token; {@link #status()} is its HTTP status (401 for bad credentials). */
	public static final class TokenRefusedException extends IllegalStateException {

		private static final long serialVersionUID = 1L;

		private final int status;

		TokenRefusedException(TokenResponse response) {
			super("Keycloak refused the token request: " + response.status() + " " + response.body());
			this.status = response.status();
		}

		public int status() {
			return status;
		}

	}

	void stop() {
		stop.run();
	}

	private static String accessToken(TokenResponse response) {
		Matcher token = ACCESS_TOKEN.matcher(response.body());
		if (response.status() != 200 || !token.find()) {
			throw new TokenRefusedException(response);
		}
		return token.group(1);
	}

	/** Ready means the management interface says so and the imported realm answers discovery. */
	private void awaitRealm(LocalProcess process) {
		long deadline = System.nanoTime() + STARTUP.toNanos();
		URI discovery = URI.create(issuerUri() + "/.well-known/openid-configuration");
		while (true) {
			if (process != null) {
				process.checkAlive();
			}
			try {
				HttpResponse<String> response = http
					.send(HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(5)).build(),
							HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200 && response.body().contains("\"" + issuerUri() + "\"")) {
					return;
				}
			}
			catch (IOException notYet) {
				// not listening yet
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Keycloak did not serve realm " + REALM + " at " + issuerUri()
						+ " within " + STARTUP.toSeconds() + " s" + (process == null ? "" : process.logTail()));
			}
			sleep(Duration.ofMillis(500));
		}
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Keycloak at " + baseUrl + " is not reachable", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The realm file of this repository: the nearest deploy/keycloak/realm-shop.json up from the working directory. */
	static Path realmFile() {
		return RepositoryFiles.find(Path.of(REALM_FILE));
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** An unpacked Keycloak distribution; {@code built} when it is known to be built with {@link #BUILD_OPTIONS}. */
	private record Distribution(Path home, boolean built) {

		static Distribution find() {
			String configured = System.getenv("KEYCLOAK_HOME");
			if (configured != null && !configured.isBlank()) {
				Path home = Path.of(configured).toAbsolutePath();
				if (!Files.isRegularFile(home.resolve("lib/quarkus-run.jar"))) {
					throw new IllegalStateException("KEYCLOAK_HOME=" + configured + " is no Keycloak distribution "
							+ "(no lib/quarkus-run.jar)");
				}
				log.info("Keycloak: the distribution of KEYCLOAK_HOME, {}", home);
				return new Distribution(home, false);
			}
			Path cacheRoot = cacheRoot();
			Path home = cacheRoot.resolve("keycloak-" + VERSION);
			if (Files.exists(home.resolve(READY_MARKER))) {
				return new Distribution(home, true);
			}
			try {
				Files.createDirectories(cacheRoot);
				// Test JVMs of several modules may start at once: one unpacks and builds, the others wait.
				try (FileChannel channel = FileChannel.open(cacheRoot.resolve("keycloak-" + VERSION + ".lock"),
						StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
					if (!Files.exists(home.resolve(READY_MARKER))) {
						install(cacheRoot, home);
					}
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not prepare Keycloak " + VERSION + " in " + home, ex);
			}
			return new Distribution(home, true);
		}

		private static Path cacheRoot() {
			String xdg = System.getenv("XDG_CACHE_HOME");
			Path base = (xdg == null || xdg.isBlank()) ? Path.of(System.getProperty("user.home"), ".cache") : Path.of(xdg);
			return base.resolve("shop-platform");
		}

		private static void install(Path cacheRoot, Path home) throws IOException {
			long started = System.nanoTime();
			deleteTree(home);
			Path zip = Path.of(System.getProperty("maven.repo.local",
					Path.of(System.getProperty("user.home"), ".m2", "repository").toString()))
				.resolve(DISTRIBUTION);
			Path downloaded = null;
			if (!Files.isRegularFile(zip)) {
				downloaded = cacheRoot.resolve("keycloak-quarkus-dist-" + VERSION + ".zip");
				download(URI.create(MAVEN_CENTRAL + DISTRIBUTION), downloaded);
				zip = downloaded;
			}
			log.info("Keycloak: unpacking {} into {} (once)", zip, home);
			unzipWithoutTopDirectory(zip, home);
			if (downloaded != null) {
				Files.deleteIfExists(downloaded);
			}
			log.info("Keycloak: building the distribution for PostgreSQL ({}; once)", String.join(" ", BUILD_OPTIONS));
			Path buildLog = home.resolve("build.log");
			List<String> command = new ArrayList<>(javaCommand(home));
			command.add("build");
			command.addAll(BUILD_OPTIONS);
			Process build = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(buildLog.toFile()).start();
			try {
				if (!build.waitFor(5, TimeUnit.MINUTES) || build.exitValue() != 0) {
					build.destroyForcibly();
					throw new IllegalStateException("kc.sh build failed for " + home + ": " + tail(buildLog));
				}
			}
			catch (InterruptedException ex) {
				build.destroyForcibly();
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			Files.writeString(home.resolve(READY_MARKER), String.join(" ", BUILD_OPTIONS) + "\n");
			log.info("Keycloak: {} ready in {} s", home, (System.nanoTime() - started) / 1_000_000_000);
		}

		/** Maven Central's zip, checked against its published SHA-1. */
		private static void download(URI uri, Path target) throws IOException {
			log.info("Keycloak: downloading {} (160 MB, once)", uri);
			HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
			Path partial = target.resolveSibling(target.getFileName() + ".part");
			try {
				HttpResponse<Path> response = client.send(HttpRequest.newBuilder(uri).build(),
						HttpResponse.BodyHandlers.ofFile(partial));
				if (response.statusCode() != 200) {
					throw new IOException(uri + " answered " + response.statusCode());
				}
				String expected = client
					.send(HttpRequest.newBuilder(URI.create(uri + ".sha1")).build(), HttpResponse.BodyHandlers.ofString())
					.body()
					.trim()
					.split("\\s+")[0];
				String actual = sha1(partial);
				if (!actual.equalsIgnoreCase(expected)) {
					throw new IOException(uri + ": SHA-1 " + actual + " is not the published " + expected);
				}
				Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException(ex);
			}
			finally {
				Files.deleteIfExists(partial);
			}
		}

		private static String sha1(Path file) throws IOException {
			try (InputStream in = Files.newInputStream(file)) {
				MessageDigest digest = MessageDigest.getInstance("SHA-1");
				byte[] buffer = new byte[1 << 16];
				for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
					digest.update(buffer, 0, read);
				}
				return HexFormat.of().formatHex(digest.digest());
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

		/** The zip holds one directory, keycloak-<version>/; its content goes straight into {@code target}. */
		private static void unzipWithoutTopDirectory(Path zip, Path target) throws IOException {
			Path root = target.normalize();
			try (ZipFile file = new ZipFile(zip.toFile())) {
				for (ZipEntry entry : file.stream().toList()) {
					String name = entry.getName();
					int slash = name.indexOf('/');
					if (slash < 0 || slash == name.length() - 1) {
						continue;
					}
					Path out = root.resolve(name.substring(slash + 1)).normalize();
					if (!out.startsWith(root)) {
						throw new IOException("Zip entry outside the target directory: " + name);
					}
					if (entry.isDirectory()) {
						Files.createDirectories(out);
						continue;
					}
					Files.createDirectories(out.getParent());
					try (InputStream in = file.getInputStream(entry)) {
						Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
					}
				}
			}
		}

	}

	/**
	 * Keycloak as a child process of the test JVM, under a small shell guard: the guard reads the test JVM's end of
	 * a pipe and stops Keycloak when it closes, which is when {@link #stop()} closes it or when the test JVM dies,
	 * however it dies. So a killed test run leaves no Keycloak behind.
	 */
	private static final class LocalProcess {

		private static final String GUARD = """
				exec 3<&0
				"$@" </dev/null 3<&- &
				child=$!
				(read -r _ <&3; kill -TERM "$child" 2>/dev/null) &
				trap 'kill -TERM "$child" 2>/dev/null' TERM INT
				while :; do
				  wait "$child"; status=$?
				  kill -0 "$child" 2>/dev/null || break
				done
				exit $status
				""";

		private final List<String> command;

		private final Path runHome;

		private final Path log;

		private final Map<String, String> environment;

		private volatile Process process;

		private LocalProcess(List<String> command, Path runHome, Path log, Map<String, String> environment) {
			this.command = command;
			this.runHome = runHome;
			this.log = log;
			this.environment = environment;
		}

		static LocalProcess start(Distribution distribution, Path realmFile, DatabaseCoordinates database, int httpPort,
				int managementPort) {
			try {
				Path runHome = runHome(distribution.home(), realmFile);
				Path log = logFile(httpPort);
				List<String> arguments = new ArrayList<>(List.of("start"));
				if (distribution.built()) {
					arguments.add("--optimized");
				}
				else {
					arguments.addAll(BUILD_OPTIONS); // Keycloak rebuilds itself if they differ, then exits with 10
				}
				arguments.addAll(List.of("--import-realm", "--cache=local", "--http-enabled=true", "--http-host=127.0.0.1",
						"--http-port=" + httpPort, "--hostname=http://127.0.0.1:" + httpPort,
						"--http-management-port=" + managementPort, "--db-url=" + database.jdbcUrl(),
						"--db-username=" + database.username(), "--log-console-color=false"));
				List<String> command = new ArrayList<>(javaCommand(runHome));
				command.addAll(arguments);
				Map<String, String> environment = new LinkedHashMap<>();
				if (database.password() != null && !database.password().isEmpty()) {
					environment.put("KC_DB_PASSWORD", database.password()); // never on the command line
				}
				LocalProcess process = new LocalProcess(command, runHome, log, environment);
				announce(httpPort, managementPort, database, log);
				process.launch(false);
				return process;
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not start Keycloak", ex);
			}
		}

		private static void announce(int httpPort, int managementPort, DatabaseCoordinates database, Path logFile) {
			KeycloakServer.log.info("Keycloak: starting on 127.0.0.1:{} (health on {}), database {}, log {}", httpPort,
					managementPort, database.databaseName(), logFile);
		}

		/**
		 * A home of this JVM's own: links to the shared distribution's lib, conf, providers and themes, and a data
		 * directory (transaction logs, the realm to import) that no other JVM writes to.
		 */
		private static Path runHome(Path distribution, Path realmFile) throws IOException {
			Path home = Files.createTempDirectory("shop-keycloak-");
			try (Stream<Path> entries = Files.list(distribution)) {
				for (Path entry : entries.toList()) {
					String name = entry.getFileName().toString();
					if (!name.equals("data") && !name.startsWith(".")) {
						Files.createSymbolicLink(home.resolve(name), entry);
					}
				}
			}
			Path imports = Files.createDirectories(home.resolve("data/import"));
			Files.copy(realmFile, imports.resolve("realm-shop.json"));
			return home;
		}

		private static Path logFile(int httpPort) throws IOException {
			Path target = Path.of("target");
			Path dir = Files.isDirectory(target) ? target : Path.of(System.getProperty("java.io.tmpdir"));
			return dir.resolve("keycloak-" + httpPort + ".log").toAbsolutePath();
		}

		private void launch(boolean rebuilt) throws IOException {
			List<String> guarded = new ArrayList<>(List.of("sh", "-c", GUARD, "keycloak-guard"));
			List<String> java = new ArrayList<>(command);
			if (rebuilt) {
				java.add(1, "-Dkc.config.built=true");
			}
			guarded.addAll(java);
			ProcessBuilder builder = new ProcessBuilder(guarded).redirectErrorStream(true)
				.redirectOutput(rebuilt ? ProcessBuilder.Redirect.appendTo(log.toFile())
						: ProcessBuilder.Redirect.to(log.toFile()));
			builder.environment().putAll(environment);
			process = builder.start();
		}

		/** Fails when Keycloak exited; starts it again once when it only rebuilt itself (exit code 10). */
		void checkAlive() {
			Process current = process;
			if (current.isAlive()) {
				return;
			}
			if (current.exitValue() == REBUILT) {
				try {
					current.getOutputStream().close(); // ends the old guard's watcher
					launch(true);
					return;
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}
			throw new IllegalStateException("Keycloak exited with " + current.exitValue() + " during start-up" + logTail());
		}

		String logTail() {
			return ": " + log + tail(log);
		}

		void stop() {
			Process current = process;
			if (current != null) {
				try {
					current.getOutputStream().close(); // the guard stops Keycloak
					if (!current.waitFor(30, TimeUnit.SECONDS)) {
						current.descendants().forEach(ProcessHandle::destroyForcibly);
						current.destroyForcibly();
						current.waitFor(10, TimeUnit.SECONDS);
					}
				}
				catch (IOException ex) {
					current.descendants().forEach(ProcessHandle::destroyForcibly);
					current.destroyForcibly();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			try {
				deleteTree(runHome);
			}
			catch (IOException ex) {
				KeycloakServer.log.warn("Could not delete {}: {}", runHome, ex.getMessage());
			}
		}

	}

	/** The JVM that runs Keycloak: this test JVM's java, kc.sh's options, a bounded heap. */
	private static List<String> javaCommand(Path home) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(List.of("-Dkc.home.dir=" + home, "-Djboss.server.config.dir=" + home.resolve("conf"),
				"-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-Dpicocli.disable.closures=true",
				"-Dquarkus-log-max-startup-records=10000",
				"-Djava.util.concurrent.ForkJoinPool.common.threadFactory=io.quarkus.bootstrap.forkjoin.QuarkusForkJoinWorkerThreadFactory",
				// Lean, like the test JVMs themselves: bounded heap, serial collector, C1 only (fast start).
				"-Xms64m", "-Xmx384m", "-XX:MetaspaceSize=96M", "-XX:MaxMetaspaceSize=256m", "-XX:+UseSerialGC",
				"-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError", "-Djava.security.egd=file:/dev/urandom",
				"-Dfile.encoding=UTF-8", "-Dstdout.encoding=UTF-8", "-Dstderr.encoding=UTF-8",
				"--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
				"--add-opens=java.base/java.security=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
				"-Duser.language=en", "-Duser.country=US"));
		if (Runtime.version().feature() >= 24) {
			command.add("--sun-misc-unsafe-memory-access=allow");
		}
		command.addAll(List.of("-cp", home.resolve("lib/quarkus-run.jar").toString(),
				"io.quarkus.bootstrap.runner.QuarkusEntryPoint"));
		return command;
	}

	private static String tail(Path log) {
		try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
			List<String> all = lines.toList();
			return "\n" + String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
		}
		catch (IOException | UncheckedIOException ex) {
			return " (no log: " + ex.getMessage() + ")";
		}
	}

	/** Deletes a directory tree without following links (the run home links to the shared distribution). */
	private static void deleteTree(Path root) throws IOException {
		if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(root)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
	}

}

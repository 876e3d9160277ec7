package com.example.shop.product.mtls;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import com.example.shop.testsupport.DevCertificates;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code mtls} profile (docs/security.md): product-service's HTTP API and gRPC server answer only a client
 * that presents a certificate of the platform's CA. order-service's certificate gets in; no certificate, one of
 * another CA, or plain text get no answer; the actuator stays plain HTTP on the management port, for Prometheus
 * and the probes. The certificates come from tools/mtls/dev-certs, as ./platform's do.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({ "test", "mtls" })
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.REDIS, Infrastructure.KAFKA, Infrastructure.TOKENS })
class MutualTlsTests {

	static final DevCertificates platform = DevCertificates.create(temporaryDirectory("platform-ca"),
			"product-service", "order-service");

	/** Another CA with its own "order-service": a name is nothing without the platform CA's signature. */
	static final DevCertificates stranger = DevCertificates.create(temporaryDirectory("stranger-ca"), "order-service");

	@DynamicPropertySource
	static void certificates(DynamicPropertyRegistry registry) {
		registry.add("MTLS_DIR", () -> platform.directory().toString());
		registry.add("MTLS_KEYSTORE_PASSWORD", () -> DevCertificates.PASSWORD);
	}

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@Autowired
	GrpcServerLifecycle grpcServer;

	@Test
	void aServiceWithAPlatformCertificateIsServedOverHttps() throws Exception {
		HttpResponse<String> response = get(https(platform.keyStore("order-service")), "https", this.port,
				"/api/products?size=1");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"totalElements\":48");
	}

	@Test
	void aClientWithoutACertificateGetsNoAnswer() {
		assertThatThrownBy(() -> get(https(null), "https", this.port, "/api/products?size=1"))
			.isInstanceOf(IOException.class);
	}

	@Test
	void aCertificateOfAnotherCaGetsNoAnswer() {
		assertThatThrownBy(() -> get(https(stranger.keyStore("order-service")), "https", this.port,
				"/api/products?size=1"))
			.isInstanceOf(IOException.class);
	}

	@Test
	void plainHttpGetsNoData() throws Exception {
		HttpResponse<String> response = get(HttpClient.newHttpClient(), "http", this.port, "/api/products?size=1");

		// Tomcat's one answer on a TLS port to a request in plain text: 400, and not a byte of the catalog.
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).doesNotContain("totalElements");
	}

	@Test
	void theGrpcServerAnswersAPlatformCertificateOnly() throws Exception {
		assertThat(health(tls(platform.keyStore("order-service")))).isEqualTo(ServingStatus.SERVING);

		for (ChannelCredentials refused : new ChannelCredentials[] { tls(null),
				tls(stranger.keyStore("order-service")), InsecureChannelCredentials.create() }) {
			assertThatThrownBy(() -> health(refused)).isInstanceOfSatisfying(StatusRuntimeException.class,
					ex -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
		}
	}

	@Test
	void theActuatorStaysPlainHttpOnTheManagementPort() throws Exception {
		HttpResponse<String> response = get(HttpClient.newHttpClient(), "http", this.managementPort,
				"/actuator/health/readiness");

		assertThat(response.statusCode()).isEqualTo(200);
	}

	private HttpResponse<String> get(HttpClient client, String scheme, int port, String path)
			throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(10))
			.build();
		return client.send(request, HttpResponse.BodyHandlers.ofString());
	}

	/** A client that trusts the platform CA (it checks the server) and presents {@code keyStore}, if any. */
	private static HttpClient https(@Nullable Path keyStore) throws GeneralSecurityException, IOException {
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(keyManagers(keyStore), trustManagers(), null);
		return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
	}

	private static ChannelCredentials tls(@Nullable Path keyStore) throws GeneralSecurityException, IOException {
		TlsChannelCredentials.Builder credentials = TlsChannelCredentials.newBuilder().trustManager(trustManagers());
		KeyManager[] keyManagers = keyManagers(keyStore);
		if (keyManagers != null) {
			credentials.keyManager(keyManagers);
		}
		return credentials.build();
	}

	private ServingStatus health(ChannelCredentials credentials) throws InterruptedException {
		// "localhost": a name the server's certificate carries (DNS:localhost), as a service id would be.
		ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", this.grpcServer.getPort(), credentials)
			.build();
		try {
			return HealthGrpc.newBlockingStub(channel)
				.withDeadlineAfter(5, TimeUnit.SECONDS)
				.check(HealthCheckRequest.getDefaultInstance())
				.getStatus();
		}
		finally {
			channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
	}

	private static KeyManager @Nullable [] keyManagers(@Nullable Path keyStore)
			throws GeneralSecurityException, IOException {
		if (keyStore == null) {
			return null;
		}
		KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		factory.init(load(keyStore), DevCertificates.PASSWORD.toCharArray());
		return factory.getKeyManagers();
	}

	private static TrustManager[] trustManagers() throws GeneralSecurityException, IOException {
		TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		factory.init(load(platform.trustStore()));
		return factory.getTrustManagers();
	}

	private static KeyStore load(Path file) throws GeneralSecurityException, IOException {
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(file)) {
			store.load(in, DevCertificates.PASSWORD.toCharArray());
		}
		return store;
	}

	private static Path temporaryDirectory(String prefix) {
		try {
			return Files.createTempDirectory(prefix);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}

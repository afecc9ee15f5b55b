package io.nativesidecar.certificates;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.nativesidecar.testing.ProcessTempDirectory;
import io.nativesidecar.testing.RawHttps;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server in self-managed certificate mode against a mock API server: it creates the Secret,
 * swaps its placeholder certificate for the CA-signed one without a restart, and only then reports ready.
 */
@QuarkusTest
@TestProfile(SelfManagedModeTest.SelfManaged.class)
class SelfManagedModeTest {

    static final Path DIRECTORY = ProcessTempDirectory.create("self-managed-tls");

    /** Self-managed mode: the server writes its placeholder into the directory itself. */
    public static class SelfManaged implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "nativesidecar.certificates.mode", "self-managed",
                    "nativesidecar.certificates.namespace", "webhook-system",
                    "nativesidecar.certificates.directory", DIRECTORY.toString(),
                    // Versions are covered elsewhere; this test is about certificates.
                    "nativesidecar.cluster.access", "none");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(MockApiServer.class));
        }
    }

    /** A fabric8 mock API server (CRUD) that reports Kubernetes 1.31. */
    public static class MockApiServer implements QuarkusTestResourceLifecycleManager {
        static KubernetesMockServer server;

        @Override
        public Map<String, String> start() {
            server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), new HashMap<>(),
                    new KubernetesCrudDispatcher(), false,
                    new VersionInfo.Builder().withMajor("1").withMinor("31").withGitVersion("v1.31.0").build());
            server.init();
            return Map.of("quarkus.kubernetes-client.api-server-url", server.url("/").replaceAll("/$", ""),
                    "quarkus.kubernetes-client.trust-certs", "true");
        }

        @Override
        public void stop() {
            server.destroy();
        }
    }

    @TestHTTPResource(value = "/mutate", tls = true)
    URL mutate;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @Test
    void servesTheManagedCertificateOnceItExists() throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (given().get(ready).statusCode() != 200) {
            assertThat(Instant.now()).as("ready in time").isBefore(deadline);
            Thread.sleep(100);
        }
        KubernetesClient client = MockApiServer.server.createClient();
        CertificateAuthority.Material stored = new CertificateSecret(client, "webhook-system", "native-sidecar-webhook-tls")
                .read().orElseThrow();
        assertThat(RawHttps.servedCertificate(mutate).getIssuerX500Principal().getName()).isEqualTo("CN=native-sidecar-webhook CA");
        assertThat(RawHttps.servedCertificate(mutate)).isEqualTo(CertificateAuthority.parseCertificate(stored.certificate()));
        // Served from the configured directory (an emptyDir in the chart).
        assertThat(CertificateAuthority.parseCertificate(Files.readString(DIRECTORY.resolve("tls.crt"))))
                .isEqualTo(CertificateAuthority.parseCertificate(stored.certificate()));
    }
}

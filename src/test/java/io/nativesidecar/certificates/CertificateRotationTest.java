package io.nativesidecar.certificates;

import io.nativesidecar.testing.ProcessTempDirectory;
import io.nativesidecar.testing.RawHttps;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A mounted Secret is rotated by replacing its files: new handshakes must present the new
 * certificate without a restart.
 */
@QuarkusTest
@TestProfile(CertificateRotationTest.RotatingFiles.class)
class CertificateRotationTest {

    static final Path DIR = ProcessTempDirectory.create("rotating-tls");

    /** Serves copies of the test certificate from a directory the test may overwrite, re-read every second. */
    public static class RotatingFiles implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            copy("tls");
            return Map.of(
                    "nativesidecar.tls.cert-file", DIR.resolve("tls.crt").toString(),
                    "nativesidecar.tls.key-file", DIR.resolve("tls.key").toString(),
                    "nativesidecar.tls.reload-period", "1s");
        }
    }

    @TestHTTPResource(value = "/mutate", tls = true)
    URL mutate;

    @Test
    void newHandshakesSeeTheReplacedCertificate() throws Exception {
        assertThat(subject()).isEqualTo("CN=localhost");

        copy("rotated");

        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        String subject = subjectDuringSwap();
        while (!subject.equals("CN=rotated.localhost") && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            subject = subjectDuringSwap();
        }
        assertThat(subject).isEqualTo("CN=rotated.localhost");
    }

    /**
     * Vert.x can drop a connection that arrives while it swaps the TLS context (its SslContextUpdate
     * is briefly null); that is why the server swaps only on a real change. Such a drop is retried here.
     */
    private String subjectDuringSwap() throws Exception {
        try {
            return subject();
        } catch (javax.net.ssl.SSLException droppedDuringSwap) {
            return "";
        }
    }

    private String subject() throws Exception {
        return RawHttps.servedCertificate(mutate).getSubjectX500Principal().getName();
    }

    /** Copies {@code <name>.crt/.key} from the test resources over the served files. */
    static void copy(String name) {
        try {
            Path source = Path.of("src/test/resources/tls");
            Files.copy(source.resolve(name + ".key"), DIR.resolve("tls.key.tmp"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(source.resolve(name + ".crt"), DIR.resolve("tls.crt.tmp"), StandardCopyOption.REPLACE_EXISTING);
            Files.move(DIR.resolve("tls.key.tmp"), DIR.resolve("tls.key"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(DIR.resolve("tls.crt.tmp"), DIR.resolve("tls.crt"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

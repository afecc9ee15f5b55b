package io.nativesidecar.certificates;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import java.util.Map;

/**
 * The same rotation with the PEM files configured for Quarkus directly ({@code quarkus.tls.webhook.key-store}), which
 * the server leaves to Quarkus but still watches.
 */
@QuarkusTest
@TestProfile(QuarkusKeyStoreRotationTest.QuarkusKeyStore.class)
class QuarkusKeyStoreRotationTest extends CertificateRotationTest {

    /** No nativesidecar.tls files (they would win): the key store is Quarkus's own. */
    public static class QuarkusKeyStore implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            copy("tls");
            return Map.of(
                    "nativesidecar.tls.cert-file", "",
                    "nativesidecar.tls.key-file", "",
                    "quarkus.tls.webhook.key-store.pem.0.cert", DIR.resolve("tls.crt").toString(),
                    "quarkus.tls.webhook.key-store.pem.0.key", DIR.resolve("tls.key").toString(),
                    "nativesidecar.tls.reload-period", "1s");
        }
    }
}

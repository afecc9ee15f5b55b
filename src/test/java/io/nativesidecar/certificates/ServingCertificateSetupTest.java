package io.nativesidecar.certificates;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class ServingCertificateSetupTest {

    @Test
    void withNothingConfiguredItGeneratesAUsableSelfSignedPair() throws Exception {
        Properties system = new Properties();
        assertThat(ServingCertificateSetup.apply(system, Map.of())).isEqualTo(ServingCertificateSetup.Choice.SELF_SIGNED);

        Path certificate = Path.of(system.getProperty(ServingCertificateSetup.QUARKUS_CERT));
        assertThat(Path.of(system.getProperty(ServingCertificateSetup.QUARKUS_KEY))).exists();
        assertThat(ServingCertificateSetup.applied()).contains(ServingCertificateSetup.Choice.SELF_SIGNED);
        try (InputStream in = Files.newInputStream(certificate)) {
            X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            x509.checkValidity();
            // The key belongs to the certificate: what it signs, the certificate's public key verifies.
            java.security.Signature signer = java.security.Signature.getInstance("SHA256withECDSA");
            signer.initSign(CertificateAuthority.parseKey(Files.readString(Path.of(system.getProperty(ServingCertificateSetup.QUARKUS_KEY)))));
            signer.update(new byte[] {1, 2, 3});
            byte[] signature = signer.sign();
            java.security.Signature verifier = java.security.Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(x509.getPublicKey());
            verifier.update(new byte[] {1, 2, 3});
            assertThat(verifier.verify(signature)).isTrue();
            assertThat(x509.getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1))).toList())
                    .contains("localhost", "127.0.0.1");
        }
    }

    @Test
    void configuredFilesAreServed() throws Exception {
        Properties system = new Properties();
        Map<String, String> environment = Map.of("NATIVESIDECAR_TLS_CERT_FILE", "/etc/tls/tls.crt",
                "NATIVESIDECAR_TLS_KEY_FILE", "/etc/tls/tls.key");
        assertThat(ServingCertificateSetup.apply(system, environment)).isEqualTo(ServingCertificateSetup.Choice.FILES);
        assertThat(system.getProperty(ServingCertificateSetup.QUARKUS_CERT)).isEqualTo("/etc/tls/tls.crt");
        assertThat(ServingCertificateSetup.applied()).contains(ServingCertificateSetup.Choice.FILES);
    }

    @Test
    void systemPropertiesWinOverTheEnvironment() throws Exception {
        Properties system = new Properties();
        system.setProperty("nativesidecar.tls.cert-file", "/a.crt");
        system.setProperty("nativesidecar.tls.key-file", "/a.key");
        ServingCertificateSetup.apply(system, Map.of("NATIVESIDECAR_TLS_CERT_FILE", "/b.crt", "NATIVESIDECAR_TLS_KEY_FILE", "/b.key"));
        assertThat(system.getProperty(ServingCertificateSetup.QUARKUS_CERT)).isEqualTo("/a.crt");
    }

    @Test
    void quarkusTlsConfiguredDirectlyIsLeftAlone() throws Exception {
        Properties system = new Properties();
        assertThat(ServingCertificateSetup.apply(system, Map.of("QUARKUS_TLS_WEBHOOK_KEY_STORE_P12_PATH", "/k.p12")))
                .isEqualTo(ServingCertificateSetup.Choice.CONFIGURED_BY_QUARKUS_TLS);
        assertThat(system).isEmpty();
    }
}

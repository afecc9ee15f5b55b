package io.nativesidecar.certificates;

import io.nativesidecar.certificates.ServingCertificate.Source;
import io.nativesidecar.config.WebhookConfig.Certificates.Mode;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServingCertificateTest {

    private static final Optional<String> NONE = Optional.empty();

    @Test
    void withNothingConfiguredItGeneratesAUsableSelfSignedPair() throws Exception {
        assertThat(ServingCertificate.choose(Mode.FILES, NONE, NONE, false)).isEqualTo(Source.SELF_SIGNED);

        SelfSignedCertificate.PemFiles pem = ServingCertificate.selfSigned();
        assertThat(pem.key()).exists();
        try (InputStream in = Files.newInputStream(pem.certificate())) {
            X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            x509.checkValidity();
            // The key belongs to the certificate: what it signs, the certificate's public key verifies.
            java.security.Signature signer = java.security.Signature.getInstance("SHA256withECDSA");
            signer.initSign(CertificateAuthority.parseKey(Files.readString(pem.key())));
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
    void configuredFilesAreServed() {
        assertThat(ServingCertificate.choose(Mode.FILES, Optional.of("/etc/tls/tls.crt"), Optional.of("/etc/tls/tls.key"), false))
                .isEqualTo(Source.FILES);
    }

    @Test
    void theProductsOwnSettingsWinOverAQuarkusKeyStore() {
        assertThat(ServingCertificate.choose(Mode.FILES, Optional.of("/a.crt"), Optional.of("/a.key"), true)).isEqualTo(Source.FILES);
        assertThat(ServingCertificate.choose(Mode.SELF_MANAGED, NONE, NONE, true)).isEqualTo(Source.SELF_MANAGED);
    }

    @Test
    void quarkusTlsConfiguredDirectlyIsLeftAlone() {
        assertThat(ServingCertificate.choose(Mode.FILES, NONE, NONE, true)).isEqualTo(Source.QUARKUS_TLS);
    }

    @Test
    void aCertificateWithoutItsKeyIsAnError() {
        assertThatThrownBy(() -> ServingCertificate.choose(Mode.FILES, Optional.of("/a.crt"), NONE, false))
                .hasMessageContaining("must be set together");
        assertThatThrownBy(() -> ServingCertificate.choose(Mode.FILES, NONE, Optional.of("/a.key"), false))
                .hasMessageContaining("must be set together");
    }

    @Test
    void quarkusOwnReloadPeriodIsRefusedWhereTheServerReloadsItself() {
        assertThatThrownBy(() -> ServingCertificate.checkNoQuarkusReload(Source.FILES, Optional.of("10s")))
                .hasMessageContaining("quarkus.tls.webhook.reload-period cannot be used with the files certificate")
                .hasMessageContaining("nativesidecar.tls.reload-period");
        ServingCertificate.checkNoQuarkusReload(Source.QUARKUS_TLS, Optional.of("10s"));
        ServingCertificate.checkNoQuarkusReload(Source.SELF_SIGNED, NONE);
    }
}

package io.nativesidecar.certificates;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The generated certificate is one that the JDK and Bouncy Castle read as intended, in canonical DER. */
class CertificatesTest {

    static final List<String> NAMES = List.of("localhost", "native-sidecar-webhook", "127.0.0.1", "::1");

    @Test
    void theJdkReadsAServingCertificateThatSignedItself() throws Exception {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        SelfSignedCertificate.PemPair pem = SelfSignedCertificate.create(NAMES, Duration.ofDays(365));
        Instant after = Instant.now();
        X509Certificate certificate = jdkCertificate(pem);

        assertThat(certificate.getVersion()).isEqualTo(3);
        certificate.verify(certificate.getPublicKey());
        assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(((ECPublicKey) certificate.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(certificate.getIssuerX500Principal()).isEqualTo(certificate.getSubjectX500Principal());
        assertThat(certificate.getSerialNumber()).isPositive();
        certificate.checkValidity();
        assertThat(certificate.getNotBefore().toInstant())
                .isBetween(before.minus(Duration.ofMinutes(5)), after.minus(Duration.ofMinutes(5)));
        assertThat(certificate.getNotAfter().toInstant()).isBetween(before.plus(Duration.ofDays(365)), after.plus(Duration.ofDays(365)));

        assertThat(certificate.getSubjectAlternativeNames()).extracting(name -> name.get(0), name -> name.get(1)).containsExactly(
                tuple(2, "localhost"), tuple(2, "native-sidecar-webhook"), tuple(7, "127.0.0.1"), tuple(7, "0:0:0:0:0:0:0:1"));
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(certificate.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(Arrays.copyOfRange(certificate.getKeyUsage(), 1, certificate.getKeyUsage().length)).doesNotContain(true);
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(certificate.getCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.19", "2.5.29.15");
        assertThat(certificate.getNonCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.17", "2.5.29.37");
    }

    @Test
    void bouncyCastleReadsTheSameAndFindsItCanonicalDer() throws Exception {
        SelfSignedCertificate.PemPair pem = SelfSignedCertificate.create(NAMES, Duration.ofDays(1));
        byte[] der = der(pem.certificate(), "CERTIFICATE");
        X509CertificateHolder holder = new X509CertificateHolder(der);

        // Re-encoding what was parsed as DER gives back the same bytes only if they were DER to begin with.
        assertThat(holder.toASN1Structure().getEncoded(ASN1Encoding.DER)).isEqualTo(der);
        assertThat(holder.getVersionNumber()).isEqualTo(3);
        assertThat(holder.isSignatureValid(new JcaContentVerifierProviderBuilder().build(holder))).isTrue();
        assertThat(holder.getSubject()).isEqualTo(holder.getIssuer());
        assertThat(holder.getSubject().toString()).isEqualTo("CN=localhost");

        Extension basicConstraints = holder.getExtension(Extension.basicConstraints);
        assertThat(basicConstraints.isCritical()).isTrue();
        assertThat(BasicConstraints.getInstance(basicConstraints.getParsedValue()).isCA()).isFalse();
        Extension keyUsage = holder.getExtension(Extension.keyUsage);
        assertThat(keyUsage.isCritical()).isTrue();
        assertThat(KeyUsage.getInstance(keyUsage.getParsedValue()).getBytes()).containsExactly(KeyUsage.digitalSignature);
        assertThat(ExtendedKeyUsage.fromExtensions(holder.getExtensions()).getUsages()).containsExactly(KeyPurposeId.id_kp_serverAuth);
        assertThat(GeneralNames.fromExtensions(holder.getExtensions(), Extension.subjectAlternativeName).getNames()).containsExactly(
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.dNSName, "native-sidecar-webhook"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.iPAddress, "::1"));
        assertThat(GeneralNames.fromExtensions(holder.getExtensions(), Extension.subjectAlternativeName).getNames()[3]
                .getName().toASN1Primitive().getEncoded()).endsWith(InetAddress.getByName("::1").getAddress());
    }

    @Test
    void theKeyFileHoldsThePrivateKeyOfTheCertificate() throws Exception {
        SelfSignedCertificate.PemPair pem = SelfSignedCertificate.create(NAMES, Duration.ofDays(1));
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der(pem.key(), "PRIVATE KEY")));

        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(new byte[] {1, 2, 3});
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(jdkCertificate(pem).getPublicKey());
        verifier.update(new byte[] {1, 2, 3});
        assertThat(verifier.verify(signer.sign())).isTrue();
        // The other PEM reader in this code base takes it too.
        assertThat(CertificateAuthority.parseKey(pem.key()).getEncoded()).isEqualTo(key.getEncoded());
    }

    @Test
    void pemHas64CharacterLinesAndUnixLineEnds() {
        SelfSignedCertificate.PemPair pem = SelfSignedCertificate.create(NAMES, Duration.ofDays(1));
        for (String text : List.of(pem.certificate(), pem.key())) {
            assertThat(text).doesNotContain("\r").endsWith("-----\n");
            List<String> body = text.lines().filter(line -> !line.startsWith("-----")).toList();
            assertThat(body.subList(0, body.size() - 1)).allMatch(line -> line.length() == 64);
            assertThat(body.get(body.size() - 1).length()).isBetween(1, 64);
        }
        assertThat(pem.certificate()).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("\n-----END CERTIFICATE-----\n");
        assertThat(pem.key()).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("\n-----END PRIVATE KEY-----\n");
    }

    @Test
    void theJdkReadsAGeneralizedTimeExpiry() throws Exception {
        SelfSignedCertificate.PemPair pem = SelfSignedCertificate.create(NAMES, Duration.ofDays(100 * 365));
        X509Certificate certificate = jdkCertificate(pem);
        assertThat(certificate.getNotAfter().toInstant()).isAfter(Instant.parse("2050-01-01T00:00:00Z"));
        certificate.verify(certificate.getPublicKey());

        // RFC 5280: UTCTime through 2049, GeneralizedTime from 2050 on, in whole seconds.
        var structure = new X509CertificateHolder(der(pem.certificate(), "CERTIFICATE")).toASN1Structure();
        assertThat(structure.getStartDate().toASN1Primitive()).isInstanceOf(ASN1UTCTime.class);
        assertThat(structure.getEndDate().toASN1Primitive()).isInstanceOfSatisfying(ASN1GeneralizedTime.class,
                time -> assertThat(time.getTimeString()).matches("\\d{14}Z"));
    }

    @Test
    void onlyIpLiteralsAreIpAddresses() {
        assertThat(List.of("127.0.0.1", "::1", "fd00::10")).allMatch(Certificates::isIpLiteral);
        assertThat(List.of("localhost", "webhook.svc", "1.example")).noneMatch(Certificates::isIpLiteral);
    }

    static X509Certificate jdkCertificate(SelfSignedCertificate.PemPair pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.certificate().getBytes(StandardCharsets.US_ASCII)));
    }

    static byte[] der(String pem, String label) {
        String body = pem.replace("-----BEGIN " + label + "-----\n", "").replace("-----END " + label + "-----\n", "");
        return Base64.getMimeDecoder().decode(body);
    }
}

package io.nativesidecar.certificates;

import io.nativesidecar.certificates.CertificateAuthority.Material;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The self-managed CA, made with Bouncy Castle: clients (the JDK's PKIX validator, OpenSSL) accept what it
 * issues, Bouncy Castle reads the same fields as canonical DER, and a CA that the former Bouncy Castle code
 * wrote into a cluster's Secret keeps issuing.
 */
class CertificateAuthorityTest {

    static final List<String> NAMES = List.of("native-sidecar-webhook.native-sidecar.svc",
            "native-sidecar-webhook.native-sidecar.svc.cluster.local", "native-sidecar-webhook.native-sidecar", "native-sidecar-webhook");

    /**
     * Written by {@code CertificateAuthority.create("native-sidecar-webhook CA", NAMES, 100 years, 100 years)} as of
     * commit 2843fcc, when Bouncy Castle made the certificates; {@code ca-sec1.key} is {@code openssl ec -in ca.key}.
     */
    static final Path BOUNCY_CASTLE_MADE = Path.of("src/test/resources/tls/bouncy-castle-ca");

    @Test
    void theServingCertificateValidatesAgainstTheCa() throws Exception {
        Material material = CertificateAuthority.create("native-sidecar-webhook CA", NAMES, Duration.ofDays(3650), Duration.ofDays(90));
        X509Certificate ca = CertificateAuthority.parseCertificate(material.caCertificate());
        X509Certificate serving = CertificateAuthority.parseCertificate(material.certificate());

        validate(serving, ca);
        assertThat(serving.getIssuerX500Principal().getEncoded()).isEqualTo(ca.getSubjectX500Principal().getEncoded());
        assertThat(serving.getSubjectX500Principal().getName()).isEqualTo("CN=native-sidecar-webhook.native-sidecar.svc");
        assertThat(serving.getSubjectAlternativeNames()).extracting(name -> name.get(0), name -> name.get(1))
                .containsExactly(NAMES.stream().map(name -> tuple(2, name)).toArray(org.assertj.core.groups.Tuple[]::new));
        assertThat(serving.getBasicConstraints()).isEqualTo(-1);
        assertThat(setBits(serving.getKeyUsage())).containsExactly(0); // digitalSignature
        assertThat(serving.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(serving.getCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.19", "2.5.29.15");
        assertThat(serving.getNonCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.17", "2.5.29.37", "2.5.29.35");
        assertThat(Duration.between(material.servingNotBefore(), material.servingNotAfter())).isEqualTo(Duration.ofDays(90).plusMinutes(5));
        assertThat(CertificateAuthority.parseKey(material.key())).isInstanceOf(ECPrivateKey.class);
    }

    @Test
    void aServingCertificateFromAnotherCaDoesNotValidate() throws Exception {
        Material one = CertificateAuthority.create("native-sidecar-webhook CA", NAMES, Duration.ofDays(1), Duration.ofDays(1));
        Material other = CertificateAuthority.create("native-sidecar-webhook CA", NAMES, Duration.ofDays(1), Duration.ofDays(1));

        // Same name, different key: the check above is about signatures, not only names.
        assertThatThrownBy(() -> validate(CertificateAuthority.parseCertificate(one.certificate()),
                CertificateAuthority.parseCertificate(other.caCertificate()))).isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void theCaSignsLeavesOnly() throws Exception {
        Material material = CertificateAuthority.create("native-sidecar-webhook CA", NAMES, Duration.ofDays(3650), Duration.ofDays(90));
        X509Certificate ca = CertificateAuthority.parseCertificate(material.caCertificate());

        ca.verify(ca.getPublicKey());
        assertThat(ca.getVersion()).isEqualTo(3);
        assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=native-sidecar-webhook CA");
        assertThat(ca.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        assertThat(ca.getBasicConstraints()).isZero();
        assertThat(setBits(ca.getKeyUsage())).containsExactly(5, 6); // keyCertSign, cRLSign
        assertThat(ca.getCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.19", "2.5.29.15");
        assertThat(ca.getNonCriticalExtensionOIDs()).containsExactly("2.5.29.14");
        assertThat(ca.getNotAfter().toInstant()).isAfter(material.servingNotAfter());
    }

    @Test
    void bouncyCastleReadsBothAsCanonicalDerWithMatchingKeyIdentifiers() throws Exception {
        Material material = CertificateAuthority.create("native-sidecar-webhook CA", NAMES, Duration.ofDays(3650), Duration.ofDays(90));
        X509CertificateHolder ca = holder(material.caCertificate());
        X509CertificateHolder serving = holder(material.certificate());

        for (X509CertificateHolder holder : List.of(ca, serving)) {
            // Re-encoding what was parsed as DER gives back the same bytes only if they were DER to begin with.
            assertThat(holder.toASN1Structure().getEncoded(ASN1Encoding.DER)).isEqualTo(holder.getEncoded());
        }
        assertThat(ca.isSignatureValid(new JcaContentVerifierProviderBuilder().build(ca))).isTrue();
        assertThat(serving.isSignatureValid(new JcaContentVerifierProviderBuilder().build(ca))).isTrue();
        assertThat(serving.getIssuer()).isEqualTo(ca.getSubject());

        BasicConstraints caConstraints = BasicConstraints.fromExtensions(ca.getExtensions());
        assertThat(caConstraints.isCA()).isTrue();
        assertThat(caConstraints.getPathLenConstraint()).isZero();
        assertThat(KeyUsage.fromExtensions(ca.getExtensions()).hasUsages(KeyUsage.keyCertSign | KeyUsage.cRLSign)).isTrue();
        assertThat(BasicConstraints.fromExtensions(serving.getExtensions()).isCA()).isFalse();
        assertThat(serving.getExtension(Extension.basicConstraints).isCritical()).isTrue();

        // RFC 5280 4.2.1.2 method 1, as Bouncy Castle computes it; the leaf names its CA by it.
        byte[] expected = new JcaX509ExtensionUtils().createSubjectKeyIdentifier(
                CertificateAuthority.parseCertificate(material.caCertificate()).getPublicKey()).getKeyIdentifier();
        assertThat(SubjectKeyIdentifier.fromExtensions(ca.getExtensions()).getKeyIdentifier()).isEqualTo(expected);
        AuthorityKeyIdentifier authority = AuthorityKeyIdentifier.fromExtensions(serving.getExtensions());
        assertThat(authority.getKeyIdentifier()).isEqualTo(expected);
        assertThat(authority.getAuthorityCertIssuer()).isNull();
        assertThat(authority.getAuthorityCertSerialNumber()).isNull();
    }

    @Test
    void openSslVerifiesTheChainForAServer(@TempDir Path directory) throws Exception {
        assumeTrue(onPath("openssl"), "openssl is not installed");
        Material material = CertificateAuthority.create("native-sidecar-webhook CA", NAMES, Duration.ofDays(3650), Duration.ofDays(90));
        Path ca = Files.writeString(directory.resolve("ca.crt"), material.caCertificate());
        Path serving = Files.writeString(directory.resolve("serving.crt"), material.certificate());
        Path otherCa = Files.writeString(directory.resolve("other-ca.crt"),
                CertificateAuthority.create("native-sidecar-webhook CA", NAMES, Duration.ofDays(1), Duration.ofDays(1)).caCertificate());

        // -x509_strict adds RFC 5280 checks: key identifiers present, CA basicConstraints critical, and more.
        assertThat(openssl("verify", "-x509_strict", "-purpose", "sslserver", "-verify_hostname", NAMES.get(0), "-CAfile", ca.toString(),
                serving.toString())).isEqualTo(serving + ": OK");
        assertThat(openssl("verify", "-CAfile", otherCa.toString(), serving.toString())).contains("error");
    }

    @Test
    void aCaWrittenByTheBouncyCastleCodeKeepsIssuing() throws Exception {
        String caCertificate = bouncyCastleMade("ca.crt");
        X509Certificate ca = CertificateAuthority.parseCertificate(caCertificate);

        Material renewed = CertificateAuthority.issue(caCertificate, bouncyCastleMade("ca.key"), NAMES,
                Duration.ofDays(90));

        X509Certificate serving = CertificateAuthority.parseCertificate(renewed.certificate());
        validate(serving, ca);
        assertThat(serving.getIssuerX500Principal().getEncoded()).isEqualTo(ca.getSubjectX500Principal().getEncoded());
        assertThat(AuthorityKeyIdentifier.fromExtensions(holder(renewed.certificate()).getExtensions()).getKeyIdentifier())
                .isEqualTo(SubjectKeyIdentifier.fromExtensions(holder(caCertificate).getExtensions()).getKeyIdentifier());
        assertThat(renewed.caCertificate()).isEqualTo(caCertificate);
    }

    @Test
    void aServingPairWrittenByTheBouncyCastleCodeStillReads() throws Exception {
        Material stored = new Material(bouncyCastleMade("ca.crt"), bouncyCastleMade("ca.key"),
                bouncyCastleMade("tls.crt"), bouncyCastleMade("tls.key"));

        X509Certificate serving = CertificateAuthority.parseCertificate(stored.certificate());
        validate(serving, CertificateAuthority.parseCertificate(stored.caCertificate()));
        assertThat(stored.servingNotAfter()).isAfter(stored.servingNotBefore());
        assertSigns(CertificateAuthority.parseKey(stored.key()), serving);
    }

    @Test
    void aSec1EcKeyIsTheSameKeyAsItsPkcs8Form() throws Exception {
        PrivateKey pkcs8 = CertificateAuthority.parseKey(bouncyCastleMade("ca.key"));
        String sec1Text = bouncyCastleMade("ca-sec1.key");
        assertThat(sec1Text).startsWith("-----BEGIN EC PRIVATE KEY-----");

        PrivateKey sec1 = CertificateAuthority.parseKey(sec1Text);
        assertThat(((ECPrivateKey) sec1).getS()).isEqualTo(((ECPrivateKey) pkcs8).getS());
        // What `openssl ecparam -genkey` writes: the curve's name first, then the key.
        PrivateKey afterParameters = CertificateAuthority.parseKey(
                "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + sec1Text);
        assertThat(((ECPrivateKey) afterParameters).getS()).isEqualTo(((ECPrivateKey) pkcs8).getS());

        Material issued = CertificateAuthority.issue(bouncyCastleMade("ca.crt"), sec1Text, NAMES, Duration.ofDays(1));
        validate(CertificateAuthority.parseCertificate(issued.certificate()),
                CertificateAuthority.parseCertificate(issued.caCertificate()));
    }

    @Test
    void aPkcs8RsaKeyReadsAsRsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        PrivateKey key = generator.generateKeyPair().getPrivate();

        assertThat(CertificateAuthority.parseKey(Certificates.pem("PRIVATE KEY", key.getEncoded())))
                .isInstanceOf(RSAPrivateKey.class).isEqualTo(key);
    }

    @Test
    void aPkcs1RsaKeyReadsAsRsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        PrivateKey key = generator.generateKeyPair().getPrivate();
        byte[] pkcs1 = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.getEncoded()).parsePrivateKey()
                .toASN1Primitive().getEncoded();

        assertThat(CertificateAuthority.parseKey(Certificates.pem("RSA PRIVATE KEY", pkcs1)))
                .isInstanceOf(RSAPrivateKey.class).isEqualTo(key);
    }

    @Test
    void unreadableKeysAndCertificatesSayWhy() {
        assertThatThrownBy(() -> CertificateAuthority.parseKey(Certificates.pem("DSA PRIVATE KEY", new byte[] {0x30, 0})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'DSA PRIVATE KEY'")
                .hasMessageContaining("PKCS#8 ('PRIVATE KEY'), SEC1 ('EC PRIVATE KEY') or PKCS#1 ('RSA PRIVATE KEY')");
        assertThatThrownBy(() -> CertificateAuthority.parseKey(Certificates.pem("RSA PRIVATE KEY", new byte[] {0x30, 0})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PKCS#1 RSA");
        assertThatThrownBy(() -> CertificateAuthority.parseKey(Certificates.pem("ENCRYPTED PRIVATE KEY", new byte[] {0x30, 0})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("encrypted");
        assertThatThrownBy(() -> CertificateAuthority.parseKey(Certificates.pem("PRIVATE KEY", new byte[] {0x30, 0})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PKCS#8");
        assertThatThrownBy(() -> CertificateAuthority.parseKey("nonsense")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a PEM private key");
        assertThatThrownBy(() -> CertificateAuthority.parseCertificate("nonsense")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a PEM certificate");
    }

    private static String bouncyCastleMade(String file) throws IOException {
        return Files.readString(BOUNCY_CASTLE_MADE.resolve(file));
    }

    static void validate(X509Certificate leaf, X509Certificate ca) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX")
                .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), parameters);
    }

    private static void assertSigns(PrivateKey key, X509Certificate certificate) throws Exception {
        java.security.Signature signer = java.security.Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(new byte[] {1, 2, 3});
        java.security.Signature verifier = java.security.Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(new byte[] {1, 2, 3});
        assertThat(verifier.verify(signer.sign())).isTrue();
    }

    private static List<Integer> setBits(boolean[] bits) {
        return java.util.stream.IntStream.range(0, bits.length).filter(i -> bits[i]).boxed().toList();
    }

    private static X509CertificateHolder holder(String pem) throws IOException {
        return new X509CertificateHolder(CertificatesTest.der(pem, "CERTIFICATE"));
    }

    private static boolean onPath(String command) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(directory -> Files.isExecutable(Path.of(directory, command)));
    }

    private static String openssl(String... arguments) {
        try {
            List<String> command = new java.util.ArrayList<>(List.of("openssl"));
            command.addAll(List.of(arguments));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

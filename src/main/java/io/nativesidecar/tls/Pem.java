package io.nativesidecar.tls;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * PEM texts (RFC 7468) written and read with the JDK alone: certificates, and private keys in PKCS#8
 * ({@code PRIVATE KEY}, what we write) or SEC1 ({@code EC PRIVATE KEY}, what OpenSSL's EC commands write).
 */
final class Pem {

    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    private static final String EC_PUBLIC_KEY = "1.2.840.10045.2.1";
    private static final Map<String, String> KEY_ALGORITHMS = Map.of(
            EC_PUBLIC_KEY, "EC",
            "1.2.840.113549.1.1.1", "RSA");

    private Pem() {
    }

    /** Base64 in 64-character lines and Unix line ends, as OpenSSL writes it and Quarkus expects. */
    static String encode(String label, byte[] der) {
        String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + base64 + "\n-----END " + label + "-----\n";
    }

    /** The first certificate in {@code text}; the JDK reads PEM itself. */
    static X509Certificate certificate(String text) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(text.getBytes(US_ASCII)));
        } catch (CertificateException | ClassCastException e) {
            throw new IllegalArgumentException("not a PEM certificate", e);
        }
    }

    /** The first private key in {@code text}, skipping other blocks such as OpenSSL's {@code EC PARAMETERS}. */
    static PrivateKey privateKey(String text) {
        Matcher block = BLOCK.matcher(text);
        while (block.find()) {
            String label = block.group(1);
            if (!label.endsWith("PRIVATE KEY")) {
                continue;
            }
            if (block.group(2).contains("Proc-Type:") || label.equals("ENCRYPTED PRIVATE KEY")) {
                throw new IllegalArgumentException("encrypted PEM private keys are not supported");
            }
            byte[] der = Base64.getMimeDecoder().decode(block.group(2).strip());
            return switch (label) {
                case "PRIVATE KEY" -> pkcs8(der);
                case "EC PRIVATE KEY" -> pkcs8(sec1ToPkcs8(der));
                default -> throw new IllegalArgumentException("unsupported PEM private key '" + label
                        + "': expected PKCS#8 ('PRIVATE KEY') or SEC1 ('EC PRIVATE KEY')");
            };
        }
        throw new IllegalArgumentException("not a PEM private key");
    }

    /** PrivateKeyInfo ::= SEQUENCE { version, privateKeyAlgorithm AlgorithmIdentifier, privateKey OCTET STRING, ... } (RFC 5208). */
    private static PrivateKey pkcs8(byte[] der) {
        try {
            List<Der.Element> info = Der.readOne(der, Der.SEQUENCE).children();
            byte[] algorithm = info.get(1).children().get(0).encoding();
            String name = KEY_ALGORITHMS.entrySet().stream().filter(known -> Arrays.equals(Der.oid(known.getKey()), algorithm))
                    .map(Map.Entry::getValue).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unsupported private key algorithm: expected EC or RSA"));
            return KeyFactory.getInstance(name).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("not a PKCS#8 private key", e);
        }
    }

    /**
     * A SEC1 key (RFC 5915: ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING, parameters [0],
     * publicKey [1] }) wrapped as PKCS#8, which is what the JDK reads: the AlgorithmIdentifier names the
     * curve the SEC1 parameters name, and the SEC1 structure itself becomes the privateKey octets.
     */
    private static byte[] sec1ToPkcs8(byte[] sec1) {
        Der.Element curve = Der.readOne(sec1, Der.SEQUENCE).children().stream()
                .filter(element -> element.tag() == (Der.CONTEXT_CONSTRUCTED | 0))
                .flatMap(parameters -> parameters.children().stream().limit(1))
                .filter(parameters -> parameters.tag() == Der.OBJECT_IDENTIFIER) // not explicit curve parameters
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("SEC1 EC private key without a named curve in its parameters"));
        return Der.sequence(Der.integer(BigInteger.ZERO), Der.sequence(Der.oid(EC_PUBLIC_KEY), curve.encoding()), Der.octetString(sec1));
    }
}

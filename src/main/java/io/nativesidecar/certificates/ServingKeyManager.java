package io.nativesidecar.certificates;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * One private key and its certificate chain, offered to the server side of every handshake. Held as they are: a
 * {@code KeyStore} would encrypt the key for itself (PKCS#12 derives a key with 10,000 PBKDF2 rounds when the key is
 * put in and again when it is taken out), about 0.3 s of CPU at start-up here for a store nobody saves.
 */
final class ServingKeyManager extends X509ExtendedKeyManager {

    static final String ALIAS = "serving";

    private final PrivateKey key;
    private final X509Certificate[] chain;

    /** Checks that the key belongs to the chain's first certificate: a half-replaced pair is refused here, not in a handshake. */
    ServingKeyManager(PrivateKey key, List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no certificate");
        }
        checkBelongs(key, chain.get(0));
        this.key = key;
        this.chain = chain.toArray(X509Certificate[]::new);
    }

    /** What the key signs, the certificate's public key must verify. */
    private static void checkBelongs(PrivateKey key, X509Certificate certificate) {
        String subject = certificate.getSubjectX500Principal().getName();
        if (!key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm())) {
            throw new IllegalArgumentException("the private key (" + key.getAlgorithm() + ") does not belong to the certificate "
                    + subject + " (" + certificate.getPublicKey().getAlgorithm() + ")");
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "EdDSA", "Ed25519", "Ed448" -> key.getAlgorithm(); // the JDK's EdDSA keys sign under their key's name
            default -> throw new IllegalArgumentException("cannot serve a " + key.getAlgorithm() + " key: EC, RSA or EdDSA");
        };
        boolean verified;
        try {
            byte[] probe = {1, 2, 3, 4};
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            verified = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot check the " + key.getAlgorithm() + " key against the certificate "
                    + subject + ": " + e.getMessage(), e);
        }
        if (!verified) {
            throw new IllegalArgumentException("the private key does not belong to the certificate " + subject);
        }
    }

    X509Certificate certificate() {
        return chain[0];
    }

    private String aliasFor(String keyType) {
        return key.getAlgorithm().equals(keyType) ? ALIAS : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyType);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return aliasFor(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return aliasFor(keyType) == null ? null : new String[] {ALIAS};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }

    /** A server key, never a client one. */
    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }
}

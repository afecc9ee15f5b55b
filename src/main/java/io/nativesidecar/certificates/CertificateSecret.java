package io.nativesidecar.certificates;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.nativesidecar.certificates.CertificateAuthority.Material;

import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The Secret that holds the self-managed CA and serving certificate, shared by all replicas. The
 * API server arbitrates races: the first create wins and the others read the winner's material;
 * a renewal applies only to the version it was computed from.
 */
public final class CertificateSecret {

    static final String CA_CERTIFICATE = "ca.crt";
    static final String CA_KEY = "ca.key";
    static final String CERTIFICATE = "tls.crt";
    static final String KEY = "tls.key";

    private final KubernetesClient client;
    private final String namespace;
    private final String name;

    public CertificateSecret(KubernetesClient client, String namespace, String name) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
    }

    public Optional<Material> read() {
        return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get()).flatMap(CertificateSecret::material);
    }

    /** The Secret's material, created from {@code fresh} when there is none yet. */
    public Material ensure(Supplier<Material> fresh) {
        Optional<Material> existing = read();
        if (existing.isPresent()) {
            return existing.get();
        }
        Material created = fresh.get();
        try {
            client.secrets().inNamespace(namespace).resource(secret(created, null)).create();
            return created;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return read().orElseThrow(() -> e);
            }
            throw e;
        }
    }

    /**
     * Stores {@code renewed} if the Secret still holds {@code expected}; either way returns what the
     * Secret holds afterwards (another replica's renewal wins a race).
     */
    public Material replace(Material expected, Material renewed) {
        Secret current = client.secrets().inNamespace(namespace).withName(name).get();
        Optional<Material> held = current == null ? Optional.empty() : material(current);
        if (held.isPresent() && !held.get().equals(expected)) {
            return held.get();
        }
        try {
            if (current == null) {
                client.secrets().inNamespace(namespace).resource(secret(renewed, null)).create();
            } else {
                client.secrets().inNamespace(namespace).resource(secret(renewed, current)).update();
            }
            return renewed;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return read().orElseThrow(() -> e);
            }
            throw e;
        }
    }

    private Secret secret(Material material, Secret current) {
        SecretBuilder builder = current == null
                ? new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                        .addToLabels("app.kubernetes.io/managed-by", "native-sidecar-webhook").endMetadata()
                : new SecretBuilder(current);
        return builder.withType("kubernetes.io/tls").withData(Map.of(
                CA_CERTIFICATE, encode(material.caCertificate()),
                CA_KEY, encode(material.caKey()),
                CERTIFICATE, encode(material.certificate()),
                KEY, encode(material.key()))).build();
    }

    private static Optional<Material> material(Secret secret) {
        Map<String, String> data = secret.getData();
        if (data == null || !data.keySet().containsAll(java.util.List.of(CA_CERTIFICATE, CA_KEY, CERTIFICATE, KEY))) {
            return Optional.empty();
        }
        return Optional.of(new Material(decode(data.get(CA_CERTIFICATE)), decode(data.get(CA_KEY)),
                decode(data.get(CERTIFICATE)), decode(data.get(KEY))));
    }

    private static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}

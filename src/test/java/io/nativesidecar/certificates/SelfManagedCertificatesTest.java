package io.nativesidecar.certificates;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.nativesidecar.certificates.CertificateAuthority.Material;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Self-managed certificates against the fabric8 mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class SelfManagedCertificatesTest {

    private static final String NAMESPACE = "native-sidecar";
    private static final SelfManagedCertificates.Settings SETTINGS = new SelfManagedCertificates.Settings(NAMESPACE,
            "webhook-tls", "native-sidecar-webhook", "native-sidecar-webhook", Duration.ofDays(3650), Duration.ofDays(90),
            Duration.ofDays(30), Duration.ofHours(1));

    KubernetesMockServer server;
    KubernetesClient client;
    private final List<SelfManagedCertificates> started = new ArrayList<>();

    @AfterEach
    void close() {
        started.forEach(SelfManagedCertificates::close);
    }

    @Test
    void createsTheSecretServesItAndPatchesTheCaBundle() throws Exception {
        createWebhookConfiguration();
        List<Material> served = new CopyOnWriteArrayList<>();
        SelfManagedCertificates certificates = replica(served::add, Clock.systemUTC());

        certificates.check();

        assertThat(served).hasSize(1);
        Material material = served.get(0);
        assertThat(new CertificateSecret(client, NAMESPACE, "webhook-tls").read()).contains(material);
        X509Certificate serving = CertificateAuthority.parseCertificate(material.certificate());
        serving.verify(CertificateAuthority.parseCertificate(material.caCertificate()).getPublicKey());
        assertThat(serving.getSubjectAlternativeNames()).extracting(name -> String.valueOf(name.get(1)))
                .contains("native-sidecar-webhook.native-sidecar.svc", "native-sidecar-webhook.native-sidecar.svc.cluster.local");
        assertThat(caBundles()).containsOnly(base64(material.caCertificate()));
        assertThat(certificates.installed()).isTrue();
    }

    @Test
    void racingReplicasAllServeTheWinnersMaterial() throws Exception {
        int replicas = 4;
        CyclicBarrier barrier = new CyclicBarrier(replicas);
        List<List<Material>> served = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                List<Material> mine = new CopyOnWriteArrayList<>();
                served.add(mine);
                SelfManagedCertificates replica = replica(mine::add, Clock.systemUTC());
                runs.add(pool.submit(() -> {
                    barrier.await();
                    replica.check();
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }
        Material stored = new CertificateSecret(client, NAMESPACE, "webhook-tls").read().orElseThrow();
        assertThat(served).allSatisfy(mine -> assertThat(mine).containsExactly(stored));
        assertThat(client.secrets().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
    }

    @Test
    void aResetCaBundleIsPatchedAgain() throws Exception {
        createWebhookConfiguration();
        List<Material> served = new CopyOnWriteArrayList<>();
        SelfManagedCertificates certificates = replica(served::add, Clock.systemUTC());
        certificates.check();
        String expected = base64(served.get(0).caCertificate());

        // A Helm upgrade or GitOps sync puts the configuration back without our caBundle.
        client.admissionRegistration().v1().mutatingWebhookConfigurations().withName("native-sidecar-webhook")
                .edit(c -> new MutatingWebhookConfigurationBuilder(c).editFirstWebhook().editClientConfig().withCaBundle("")
                        .endClientConfig().endWebhook().build());

        await(() -> caBundles().stream().allMatch(expected::equals));
    }

    @Test
    void theServingCertificateIsRenewedBeforeItExpiresFromTheSameCa() {
        List<Material> served = new CopyOnWriteArrayList<>();
        replica(served::add, Clock.systemUTC()).check();
        Material first = served.get(0);

        // 70 days later, inside the 30-day renewal window of a 90-day certificate.
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofDays(70));
        List<Material> afterRenewal = new CopyOnWriteArrayList<>();
        replica(afterRenewal::add, later).check();

        Material renewed = afterRenewal.get(0);
        assertThat(renewed.certificate()).isNotEqualTo(first.certificate());
        assertThat(renewed.caCertificate()).isEqualTo(first.caCertificate());
        assertThat(renewed.servingNotAfter()).isAfterOrEqualTo(first.servingNotAfter());
        assertThat(new CertificateSecret(client, NAMESPACE, "webhook-tls").read()).contains(renewed);

        // The replica that still serves the old pair adopts the renewal on its next check.
        SelfManagedCertificates stale = replica(served::add, Clock.systemUTC());
        stale.check();
        assertThat(served).last().isEqualTo(renewed);
    }

    @Test
    void anUnreachableApiIsRetriedNotFatal() {
        server.destroy();
        // No retry backoff here: the default (ten retries) only makes the test slow.
        try (KubernetesClient impatient = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration())
                        .withRequestRetryBackoffLimit(0).build()).build()) {
            SelfManagedCertificates certificates = new SelfManagedCertificates(impatient, SETTINGS, m -> { }, Clock.systemUTC());
            started.add(certificates);
            certificates.check();
            assertThat(certificates.installed()).isFalse();
        }
    }

    private SelfManagedCertificates replica(java.util.function.Consumer<Material> install, Clock clock) {
        SelfManagedCertificates replica = new SelfManagedCertificates(client, SETTINGS, install, clock);
        started.add(replica);
        return replica;
    }

    private void createWebhookConfiguration() {
        MutatingWebhookConfiguration configuration = new MutatingWebhookConfigurationBuilder()
                .withNewMetadata().withName("native-sidecar-webhook").endMetadata()
                .addNewWebhook().withName("namespaces.nativesidecar.io").withNewClientConfig().withNewService()
                .withName("native-sidecar-webhook").withNamespace(NAMESPACE).withPath("/mutate").endService().endClientConfig().endWebhook()
                .addNewWebhook().withName("pods.nativesidecar.io").withNewClientConfig().withNewService()
                .withName("native-sidecar-webhook").withNamespace(NAMESPACE).withPath("/mutate").endService().endClientConfig().endWebhook()
                .build();
        client.admissionRegistration().v1().mutatingWebhookConfigurations().resource(configuration).create();
    }

    private List<String> caBundles() {
        return client.admissionRegistration().v1().mutatingWebhookConfigurations().withName("native-sidecar-webhook").get()
                .getWebhooks().stream().map(w -> w.getClientConfig().getCaBundle()).toList();
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(15);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("condition within 15 s").isBefore(deadline);
            Thread.sleep(50);
        }
    }
}

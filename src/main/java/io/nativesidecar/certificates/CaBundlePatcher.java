package io.nativesidecar.certificates;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * Keeps the caBundle of the webhook's MutatingWebhookConfiguration equal to our CA: patched at
 * start, and again whenever something (a Helm upgrade, a GitOps sync) resets it.
 */
public final class CaBundlePatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CaBundlePatcher.class);

    private final KubernetesClient client;
    private final String name;
    private final Supplier<String> caCertificate;
    private SharedIndexInformer<MutatingWebhookConfiguration> informer;

    public CaBundlePatcher(KubernetesClient client, String name, Supplier<String> caCertificate) {
        this.client = client;
        this.name = name;
        this.caCertificate = caCertificate;
    }

    /** Patches every webhook whose caBundle differs; returns how many were patched. */
    public int patch() {
        MutatingWebhookConfiguration configuration = client.admissionRegistration().v1().mutatingWebhookConfigurations()
                .withName(name).get();
        return configuration == null ? 0 : patch(configuration);
    }

    private int patch(MutatingWebhookConfiguration configuration) {
        String bundle = Base64.getEncoder().encodeToString(caCertificate.get().getBytes(StandardCharsets.UTF_8));
        ArrayNode operations = JsonNodeFactory.instance.arrayNode();
        List<MutatingWebhook> webhooks = configuration.getWebhooks() == null ? List.of() : configuration.getWebhooks();
        for (int i = 0; i < webhooks.size(); i++) {
            MutatingWebhook webhook = webhooks.get(i);
            if (webhook.getClientConfig() != null && !bundle.equals(webhook.getClientConfig().getCaBundle())) {
                // "test" guards against a concurrent reordering of the webhooks list.
                operations.addObject().put("op", "test").put("path", "/webhooks/" + i + "/name").put("value", webhook.getName());
                operations.addObject().put("op", "add").put("path", "/webhooks/" + i + "/clientConfig/caBundle").put("value", bundle);
            }
        }
        if (operations.isEmpty()) {
            return 0;
        }
        client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(name)
                .patch(PatchContext.of(PatchType.JSON), operations.toString());
        int patched = operations.size() / 2;
        LOG.infof("patched the caBundle of %d webhook(s) in MutatingWebhookConfiguration %s", patched, name);
        return patched;
    }

    /** Re-patches on every change of the configuration (it may be created after us, or reset later). */
    public void watch() {
        informer = client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(name).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(MutatingWebhookConfiguration configuration) {
                patchQuietly(configuration);
            }

            @Override
            public void onUpdate(MutatingWebhookConfiguration before, MutatingWebhookConfiguration configuration) {
                patchQuietly(configuration);
            }

            @Override
            public void onDelete(MutatingWebhookConfiguration configuration, boolean finalStateUnknown) {
            }
        });
    }

    private void patchQuietly(MutatingWebhookConfiguration configuration) {
        try {
            patch(configuration);
        } catch (RuntimeException e) {
            LOG.warnf("patching the caBundle of %s failed, will retry on its next change: %s", name, e.getMessage());
        }
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
    }
}

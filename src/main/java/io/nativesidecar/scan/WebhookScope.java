package io.nativesidecar.scan;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchCondition;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which pods the installed webhook is sent, answered from its MutatingWebhookConfiguration as the API
 * server answers it: an entry that covers pod CREATE, whose namespaceSelector matches the namespace's
 * labels, whose objectSelector matches the pod's, and whose matchConditions (CEL) all hold. The
 * project's entries are those whose names end in {@code nativesidecar.io}.
 */
final class WebhookScope {

    static final String ENTRY_SUFFIX = "nativesidecar.io";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Entry> entries;
    private final List<String> configurations;

    private record Entry(String name, LabelSelector namespaceSelector, LabelSelector objectSelector,
                         List<CelRuntime.Program> conditions) {
    }

    private WebhookScope(List<Entry> entries, List<String> configurations) {
        this.entries = entries;
        this.configurations = configurations;
    }

    static WebhookScope of(List<MutatingWebhookConfiguration> installed) {
        List<Entry> entries = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Cel cel = null;
        for (MutatingWebhookConfiguration configuration : installed) {
            boolean ours = false;
            for (MutatingWebhook webhook : configuration.getWebhooks() == null ? List.<MutatingWebhook>of() : configuration.getWebhooks()) {
                if (webhook.getName() == null || !webhook.getName().endsWith(ENTRY_SUFFIX) || !coversPodCreate(webhook)) {
                    continue;
                }
                ours = true;
                List<CelRuntime.Program> conditions = new ArrayList<>();
                if (webhook.getMatchConditions() != null && !webhook.getMatchConditions().isEmpty()) {
                    cel = cel == null ? cel() : cel;
                    for (MatchCondition condition : webhook.getMatchConditions()) {
                        conditions.add(compile(cel, condition.getExpression()));
                    }
                }
                entries.add(new Entry(webhook.getName(), webhook.getNamespaceSelector(), webhook.getObjectSelector(),
                        conditions));
            }
            if (ours) {
                names.add(configuration.getMetadata().getName());
            }
        }
        return new WebhookScope(List.copyOf(entries), List.copyOf(names));
    }

    boolean installed() {
        return !entries.isEmpty();
    }

    /** The MutatingWebhookConfigurations that hold the project's entries. */
    List<String> configurations() {
        return configurations;
    }

    /** Whether the API server would send this pod, created in a namespace with these labels, to the webhook. */
    boolean sees(Pod pod, String namespace, Map<String, String> namespaceLabels) {
        Map<String, String> labels = new HashMap<>(namespaceLabels == null ? Map.of() : namespaceLabels);
        // Set by the API server on every namespace since 1.21: selectors name namespaces by it.
        labels.putIfAbsent("kubernetes.io/metadata.name", namespace);
        Map<String, String> podLabels = pod.getMetadata() == null ? null : pod.getMetadata().getLabels();
        Map<String, Object> activation = null;
        for (Entry entry : entries) {
            if (!LabelSelectorMatch.matches(entry.namespaceSelector(), labels)
                    || !LabelSelectorMatch.matches(entry.objectSelector(), podLabels)) {
                continue;
            }
            if (entry.conditions().isEmpty()) {
                return true;
            }
            activation = activation == null ? activation(pod, namespace) : activation;
            if (allHold(entry, activation)) {
                return true;
            }
        }
        return false;
    }

    private static boolean allHold(Entry entry, Map<String, Object> activation) {
        for (CelRuntime.Program condition : entry.conditions()) {
            try {
                if (!Boolean.TRUE.equals(condition.eval(activation))) {
                    return false;
                }
            } catch (CelEvaluationException e) {
                // failurePolicy Ignore skips the webhook; Fail rejects the pod: either way it is not converted.
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> activation(Pod pod, String namespace) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("operation", "CREATE");
        request.put("namespace", namespace);
        request.put("kind", Map.of("group", "", "version", "v1", "kind", "Pod"));
        request.put("resource", Map.of("group", "", "version", "v1", "resource", "pods"));
        Map<String, Object> activation = new HashMap<>();
        activation.put("object", JSON.convertValue(pod, Map.class));
        activation.put("oldObject", null);
        activation.put("request", request);
        return activation;
    }

    private static boolean coversPodCreate(MutatingWebhook webhook) {
        if (webhook.getRules() == null) {
            return false;
        }
        for (RuleWithOperations rule : webhook.getRules()) {
            boolean core = rule.getApiGroups() != null && (rule.getApiGroups().contains("") || rule.getApiGroups().contains("*"));
            boolean pods = rule.getResources() != null && (rule.getResources().contains("pods") || rule.getResources().contains("*"));
            boolean create = rule.getOperations() != null
                    && (rule.getOperations().contains("CREATE") || rule.getOperations().contains("*"));
            if (core && pods && create) {
                return true;
            }
        }
        return false;
    }

    /** The CEL environment of admission matchConditions: object, oldObject, request; Kubernetes' string library. */
    private static Cel cel() {
        return CelFactory.standardCelBuilder()
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addVar("object", SimpleType.DYN)
                .addVar("oldObject", SimpleType.DYN)
                .addVar("request", SimpleType.DYN)
                .addCompilerLibraries(CelExtensions.strings())
                .addRuntimeLibraries(CelExtensions.strings())
                .build();
    }

    private static CelRuntime.Program compile(Cel cel, String expression) {
        try {
            return cel.createProgram(cel.compile(expression).getAst());
        } catch (CelValidationException | CelEvaluationException e) {
            // The API server refuses such a configuration; if one is installed anyway, it never matches.
            try {
                return cel.createProgram(cel.compile("false").getAst());
            } catch (CelValidationException | CelEvaluationException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }
}

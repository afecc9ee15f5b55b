package io.nativesidecar.cli;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.zjsonpatch.JsonPatch;
import io.nativesidecar.conversion.ClusterFacts;
import io.nativesidecar.conversion.ConversionResult;
import io.nativesidecar.conversion.EffectiveRequests;
import io.nativesidecar.conversion.PodPatch;
import io.nativesidecar.conversion.SidecarConverter;
import io.nativesidecar.report.ConversionReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies the engine to manifests: finds the pod (template) of each workload kind, converts it and
 * patches the document with the very patch the webhook would send, so everything the engine did
 * not touch stays exactly as written.
 */
public final class ManifestConverter {

    /** Where each workload kind keeps its pod; kinds not listed pass through unchanged. */
    private static final Map<String, String> POD_PATHS = Map.of(
            "Pod", "",
            "Deployment", "/spec/template",
            "StatefulSet", "/spec/template",
            "DaemonSet", "/spec/template",
            "ReplicaSet", "/spec/template",
            "ReplicationController", "/spec/template",
            "Job", "/spec/template",
            "CronJob", "/spec/jobTemplate/spec/template",
            // OpenShift's (apps.openshift.io/v1), whose pods Istio injects like a Deployment's.
            "DeploymentConfig", "/spec/template");
    /** Where {@code istioctl kube-inject} also writes Istio's status for a CronJob. */
    private static final String CRON_JOB_ANNOTATIONS = "/spec/jobTemplate/metadata/annotations";

    /** One pod's outcome, for {@code --explain}; a document without a pod has a null report. */
    public record PodReport(String workload, ConversionReport report, EffectiveRequests before, EffectiveRequests after) {
    }

    /** A converted document, the patch that produced it and what happened to its pods. */
    public record Converted(JsonNode document, ArrayNode patch, List<PodReport> pods) {
    }

    /** A pod template that does not fit the Kubernetes Pod schema. */
    public static final class InvalidPod extends Exception {
        InvalidPod(String message) {
            super(message);
        }
    }

    private final SidecarConverter engine;
    private final ClusterFacts cluster;
    private final PodPatch patches = new PodPatch(ManifestFormat.JSON);

    public ManifestConverter(SidecarConverter engine, ClusterFacts cluster) {
        this.engine = engine;
        this.cluster = cluster;
    }

    public Converted convert(JsonNode document) throws InvalidPod {
        ArrayNode patch = ManifestFormat.JSON.createArrayNode();
        List<PodReport> pods = new ArrayList<>();
        List<String> podPaths = new ArrayList<>();
        collect(document, "", patch, pods, podPaths);
        if (patch.isEmpty()) {
            return new Converted(document, patch, pods);
        }
        JsonNode converted = JsonPatch.apply(patch, document);
        for (String podPath : podPaths) {
            if (!document.at(podPath).path("spec").has("initContainers")) {
                ManifestLayout.initContainersBeforeContainers(converted, podPath);
            }
        }
        return new Converted(converted, patch, pods);
    }

    private void collect(JsonNode object, String path, ArrayNode patch, List<PodReport> pods, List<String> podPaths)
            throws InvalidPod {
        String kind = object.path("kind").asText("");
        if (kind.equals("List") && object.path("items").isArray()) {
            for (int i = 0; i < object.get("items").size(); i++) {
                JsonNode item = object.get("items").get(i);
                if (item.isObject()) {
                    collect(item, path + "/items/" + i, patch, pods, podPaths);
                }
            }
            return;
        }
        String podPath = POD_PATHS.get(kind);
        if (podPath == null || !object.at(podPath).isObject()) {
            if (object.path("spec").findValue("containers") != null) {
                // Something with containers that we do not convert (e.g. an Argo Rollout): say so.
                pods.add(new PodReport(workloadName(object, kind.isEmpty() ? "(no kind)" : kind), null, null, null));
            }
            return;
        }
        Pod pod = readPod(object.at(podPath), kind, podPath, object);
        ConversionResult result = engine.convert(pod, cluster);
        ArrayNode podPatch = patches.of(result, path + podPath);
        ManifestLayout.orderAddedContainers(podPatch, object.at(podPath));
        patch.addAll(podPatch);
        podPaths.add(path + podPath);
        if (kind.equals("CronJob")) {
            cronJobRecords(object, path, result, patch);
        }
        pods.add(new PodReport(workloadName(object, kind), result.report(),
                EffectiveRequests.of(pod.getSpec()), EffectiveRequests.of(result.pod().getSpec())));
    }

    private static Pod readPod(JsonNode node, String kind, String path, JsonNode object) throws InvalidPod {
        try {
            return ManifestFormat.JSON.treeToValue(node, Pod.class);
        } catch (JsonProcessingException e) {
            String field = e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping
                    ? fieldPath(mapping) : "";
            String problem = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("");
            int detail = problem.indexOf(" (token");
            throw new InvalidPod(workloadName(object, kind) + ": " + (path.isEmpty() ? "" : "pod template ")
                    + "is not a valid Pod" + (field.isEmpty() ? "" : " at " + field) + ": "
                    + (detail > 0 ? problem.substring(0, detail) : problem));
        } catch (IllegalArgumentException e) {
            throw new InvalidPod(workloadName(object, kind) + ": is not a valid Pod: " + e.getMessage());
        }
    }

    /** Like {@code spec.containers[0].ports}, from where Jackson gave up. */
    private static String fieldPath(com.fasterxml.jackson.databind.JsonMappingException e) {
        StringBuilder field = new StringBuilder();
        for (com.fasterxml.jackson.databind.JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                field.append(field.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                field.append('[').append(reference.getIndex()).append(']');
            }
        }
        return field.toString();
    }

    /** The injectors' records kept on the job template (Istio's status) follow the sidecars too. */
    private static void cronJobRecords(JsonNode cronJob, String path, ConversionResult result, ArrayNode patch) {
        for (ConversionResult.RecordMove move : result.records()) {
            String annotation = move.annotation().name();
            JsonNode value = cronJob.at(CRON_JOB_ANNOTATIONS).path(annotation);
            String rewritten = value.isTextual() ? move.rewrite(value.asText()) : null;
            if (rewritten != null) {
                patch.addObject().put("op", "replace")
                        .put("path", JsonPointer.compile(path + CRON_JOB_ANNOTATIONS).appendProperty(annotation).toString())
                        .put("value", rewritten);
            }
        }
    }

    private static String workloadName(JsonNode object, String kind) {
        JsonNode metadata = object.path("metadata");
        String name = metadata.path("name").asText(metadata.path("generateName").asText("(unnamed)"));
        String namespace = metadata.path("namespace").asText("");
        return kind + " " + (namespace.isEmpty() ? "" : namespace + "/") + name;
    }
}

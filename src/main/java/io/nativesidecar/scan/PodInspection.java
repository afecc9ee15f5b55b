package io.nativesidecar.scan;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.nativesidecar.conversion.ClusterFacts;
import io.nativesidecar.conversion.ConversionResult;
import io.nativesidecar.conversion.SidecarConverter;
import io.nativesidecar.conversion.UndoneConversions;
import io.nativesidecar.policy.Annotations;
import io.nativesidecar.report.Finding;
import io.nativesidecar.report.Reason;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the webhook did, or would do, to one pod (or a workload's pod template): the same engine and
 * cluster facts as the server, and the pod's own record of an earlier conversion.
 *
 * @param state  what the pod is now
 * @param result the engine's answer for it (null for a converted or broken pod with nothing more to convert)
 * @param reason for a blocked pod, the first reason its sidecars are skipped; for a broken one, the undone names
 */
record PodInspection(State state, ConversionResult result, String reason) {

    /** Skips that leave a sidecar classic: the pod's owner, or the cluster, has to change something. */
    private static final Set<Reason> BLOCKING = EnumSet.of(Reason.LAST_CONTAINER, Reason.RESTART_POLICY_SET,
            Reason.CLUSTER_UNSUPPORTED, Reason.EXCLUDED, Reason.PROJECT_OPTED_OUT, Reason.OPTED_OUT);

    enum State {
        /** Its sidecars are native sidecars, as the webhook made them. */
        CONVERTED,
        /** A sidecar the webhook converted is no longer native. */
        BROKEN,
        /** It has classic sidecars the webhook would convert. */
        CONVERTIBLE,
        /** It has classic sidecars that the conversion skips. */
        BLOCKED,
        /** Nothing to convert. */
        NONE
    }

    static PodInspection of(Pod pod, SidecarConverter engine, ClusterFacts facts) {
        String converted = annotation(pod, Annotations.CONVERTED);
        if (converted != null && !converted.isBlank()) {
            List<String> undone = UndoneConversions.names(pod);
            if (!undone.isEmpty()) {
                return new PodInspection(State.BROKEN, null, String.join(",", undone));
            }
        }
        ConversionResult result = engine.convert(pod, facts);
        if (result.changed()) {
            return new PodInspection(State.CONVERTIBLE, result, null);
        }
        if (converted != null && !converted.isBlank()) {
            return new PodInspection(State.CONVERTED, result, null);
        }
        Finding blocking = result.report().findings().stream().filter(f -> BLOCKING.contains(f.reason())).findFirst()
                .orElse(null);
        if (blocking == null) {
            return new PodInspection(State.NONE, result, null);
        }
        if (blocking.reason() == Reason.CLUSTER_UNSUPPORTED) {
            // The engine stops before it names sidecars: which would a cluster that runs them get?
            return new PodInspection(State.BLOCKED, engine.convert(pod, ClusterFacts.CURRENT), blocking.message());
        }
        if (blocking.reason() == Reason.OPTED_OUT) {
            // Opted out, the engine says nothing about sidecars: would it convert any otherwise?
            ConversionResult optedIn = engine.convert(withoutOptOut(pod), facts);
            boolean sidecars = optedIn.changed()
                    || optedIn.report().findings().stream().anyMatch(f -> BLOCKING.contains(f.reason()));
            return sidecars ? new PodInspection(State.BLOCKED, optedIn, blocking.message())
                    : new PodInspection(State.NONE, result, null);
        }
        return new PodInspection(State.BLOCKED, result, blocking.message());
    }

    private static String annotation(Pod pod, String key) {
        ObjectMeta metadata = pod.getMetadata();
        return metadata == null || metadata.getAnnotations() == null ? null : metadata.getAnnotations().get(key);
    }

    private static Pod withoutOptOut(Pod pod) {
        Pod copy = new Pod(pod.getApiVersion(), pod.getKind(), null, pod.getSpec(), null);
        ObjectMeta metadata = new ObjectMeta();
        Map<String, String> annotations = new HashMap<>(pod.getMetadata().getAnnotations());
        annotations.remove(Annotations.ENABLED);
        metadata.setAnnotations(annotations);
        metadata.setLabels(pod.getMetadata().getLabels());
        metadata.setName(pod.getMetadata().getName());
        copy.setMetadata(metadata);
        return copy;
    }
}

package io.nativesidecar.conversion;

import io.fabric8.kubernetes.api.model.Pod;
import io.nativesidecar.profile.SidecarProfile.RecordAnnotation;
import io.nativesidecar.report.ConversionReport;

import java.util.List;

/**
 * The engine's answer for one pod. {@link #pod()} shares every unchanged object with
 * {@link #original()}; when nothing changed it is the original itself.
 *
 * @param records the injector records (annotations) the conversion rewrote, and for which containers:
 *                the CLI applies them where a workload keeps a copy too (a CronJob's job template)
 */
public record ConversionResult(Pod original, Pod pod, ConversionReport report, List<RecordMove> records) {

    /** Containers that moved out of an injector's record annotation. */
    public record RecordMove(RecordAnnotation annotation, List<String> moved) {
        /** {@code value} with the containers moved, or null when it has nothing to change. */
        public String rewrite(String value) {
            return ContainerRecords.rewrite(value, moved, annotation.emptyContainers());
        }
    }

    public ConversionResult(Pod original, Pod pod, ConversionReport report) {
        this(original, pod, report, List.of());
    }

    public boolean changed() {
        return pod != original;
    }
}

package io.nativesidecar.conversion;

import io.fabric8.kubernetes.api.model.Pod;
import io.nativesidecar.report.ConversionReport;

/**
 * The engine's answer for one pod. {@link #pod()} shares every unchanged object with
 * {@link #original()}; when nothing changed it is the original itself.
 */
public record ConversionResult(Pod original, Pod pod, ConversionReport report) {

    public boolean changed() {
        return pod != original;
    }
}

package io.nativesidecar.report;

import java.util.List;

/** Everything the engine has to say about one pod, in the order it found it. */
public record ConversionReport(List<Finding> findings) {

    public ConversionReport {
        findings = List.copyOf(findings);
    }

    /** Names of the containers that became native sidecars, in pod order. */
    public List<String> converted() {
        return findings.stream().filter(f -> f.reason() == Reason.CONVERTED).map(Finding::subject).toList();
    }

    /** The findings the pod's owner should act on. */
    public List<Finding> warnings() {
        return findings.stream().filter(f -> f.reason().isWarning()).toList();
    }
}

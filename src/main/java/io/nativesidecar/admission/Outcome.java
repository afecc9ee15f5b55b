package io.nativesidecar.admission;

import java.util.Locale;

/** What happened to one admission review: the {@code outcome} label of {@code nativesidecar_admissions_total}. */
public enum Outcome {
    /** At least one sidecar converted; a patch was sent. */
    CONVERTED,
    /** A pod that needed no change (no sidecars, already native, or every sidecar skipped). */
    UNCHANGED,
    /** The pod opted out with {@code nativesidecar.io/enabled: "false"}. */
    OPTED_OUT,
    /** The cluster (API server or the pod's possible nodes) cannot run native sidecars. */
    UNSUPPORTED,
    /** A pod whose earlier conversion a later webhook undid (seen on reinvocation): restored where it could be. */
    BROKEN,
    /** Not a pod creation: allowed untouched. */
    NOT_APPLICABLE,
    /** Something went wrong converting: allowed untouched, logged, and counted here. */
    FAILED_OPEN,
    /** The body was not an AdmissionReview: HTTP 400. */
    BAD_REQUEST;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package io.nativesidecar.report;

import java.util.Locale;

/**
 * Why a container was or was not converted, or what else the engine has to say about a pod: the
 * one vocabulary shared by admission warnings, metrics labels, logs and {@code convert --explain}.
 */
public enum Reason {
    CONVERTED(false, "converted to a native sidecar"),
    OPTED_OUT(false, "pod opted out with nativesidecar.io/enabled=false"),
    EXCLUDED(false, "excluded by nativesidecar.io/exclude"),
    ALREADY_NATIVE(false, "already a native sidecar"),
    NO_SIDECARS(false, "no sidecar containers to convert"),
    CLUSTER_UNSUPPORTED(true, "pod left unchanged, the cluster cannot run native sidecars"),
    LAST_CONTAINER(true, "not converted, it is the pod's last regular container"),
    /** A configured default (not annotated) sidecar that is the workload itself, e.g. an Istio gateway: nothing to fix. */
    STANDALONE_PROXY(false, "not converted, it is the pod's main container (a gateway or standalone proxy)"),
    RESTART_POLICY_SET(true, "not converted, it already sets restartPolicy"),
    /** nativesidecar.io/converted names it, but a mutating webhook that ran later undid the conversion. */
    UNDONE(true, "a later webhook undid its conversion"),
    /** The pod turned its sidecar project's own native mode off with that project's annotation: respected. */
    PROJECT_OPTED_OUT(false, "kept classic, the pod turns its project's native sidecar mode off"),
    UNKNOWN_CONTAINER(true, "named as a sidecar, but the pod has no such container"),
    INVALID_ANNOTATION(true, "value ignored"),
    UNKNOWN_ANCHOR(true, "no such init container, default placement used"),
    /** A profile's probe or hook names a port the container does not declare (or a bad value filled in from the pod). */
    PROFILE_PORT_UNKNOWN(true, "the profile's probe or hook was left out"),
    GRACE_RAISED(true, "terminationGracePeriodSeconds raised");

    private final boolean warning;
    private final String text;

    Reason(boolean warning, String text) {
        this.warning = warning;
        this.text = text;
    }

    /** Whether the pod's owner should fix something, which makes this an admission warning. */
    public boolean isWarning() {
        return warning;
    }

    /** A readable sentence fragment. */
    public String text() {
        return text;
    }

    /** The label used for metrics and machine-readable output, e.g. {@code last_container}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}

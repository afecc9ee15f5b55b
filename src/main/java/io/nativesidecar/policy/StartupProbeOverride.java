package io.nativesidecar.policy;

import io.fabric8.kubernetes.api.model.Probe;

/** What {@code nativesidecar.io/startup-probe.<container>} asks for. */
public sealed interface StartupProbeOverride {

    /** {@code none}: no startupProbe at all, even one the container had. */
    record None() implements StartupProbeOverride {
    }

    /** {@code http:<port><path>} or {@code tcp:<port>}: this handler with the standard start-up timing. */
    record Handler(Probe handler) implements StartupProbeOverride {
    }

    /** A JSON Probe object, used exactly as written. */
    record Exact(Probe probe) implements StartupProbeOverride {
    }
}

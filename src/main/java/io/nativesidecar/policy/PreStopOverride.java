package io.nativesidecar.policy;

import io.fabric8.kubernetes.api.model.LifecycleHandler;

/** What {@code nativesidecar.io/pre-stop.<container>} asks for. */
public sealed interface PreStopOverride {

    /** {@code none}: no preStop hook, even one the container had. */
    record None() implements PreStopOverride {
    }

    /** {@code sleep:<seconds>}: keep serving that long after termination starts; its form depends on the API server. */
    record Sleep(int seconds) implements PreStopOverride {
    }

    /** {@code http:<port><path>} or a JSON LifecycleHandler, used as written. */
    record Handler(LifecycleHandler handler) implements PreStopOverride {
    }
}

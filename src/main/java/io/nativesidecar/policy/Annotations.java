package io.nativesidecar.policy;

/** Every annotation key this project reads or writes: they are public API, so they live here only. */
public final class Annotations {

    public static final String PREFIX = "nativesidecar.io/";
    /** Pod opt-in/opt-out: {@code "true"} or {@code "false"}. */
    public static final String ENABLED = PREFIX + "enabled";
    /** Comma-separated container names to convert in addition to the configured defaults. */
    public static final String SIDECARS = PREFIX + "sidecars";
    /** Comma-separated container names never to convert. */
    public static final String EXCLUDE = PREFIX + "exclude";
    /** {@code placement.<container>}: {@code before-init}, {@code after-init} or {@code after:<init-container>}. */
    public static final String PLACEMENT_PREFIX = PREFIX + "placement.";
    /** {@code startup-probe.<container>}: {@code none}, {@code http:<port><path>}, {@code tcp:<port>} or a JSON Probe. */
    public static final String STARTUP_PROBE_PREFIX = PREFIX + "startup-probe.";
    /** {@code pre-stop.<container>}: {@code none}, {@code sleep:<s>}, {@code http:<port><path>} or a JSON LifecycleHandler. */
    public static final String PRE_STOP_PREFIX = PREFIX + "pre-stop.";
    /** {@code profile.<container>}: the name of the sidecar profile to apply to the container, whatever its name or image. */
    public static final String PROFILE_PREFIX = PREFIX + "profile.";
    /** Written by the conversion: the comma-separated names of the containers it converted. */
    public static final String CONVERTED = PREFIX + "converted";

    private Annotations() {
    }
}

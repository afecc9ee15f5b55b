package io.nativesidecar.conversion;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import io.nativesidecar.policy.StartupProbeOverride;

/**
 * Chooses a converted sidecar's startupProbe. The kubelet starts the next init container (and
 * finally the app) only once a native sidecar's startupProbe succeeded, so this probe is what
 * orders start-up.
 */
final class StartupProbeDefaults {

    /** The probe to set (null for none) and where it came from, for {@code --explain}. */
    record Choice(Probe probe, String source) {
    }

    private StartupProbeDefaults() {
    }

    static Choice choose(Container sidecar, StartupProbeOverride override, SidecarProfile profile, int failureThreshold) {
        if (override instanceof StartupProbeOverride.None) {
            return new Choice(null, "none, by annotation");
        }
        if (override instanceof StartupProbeOverride.Handler handler) {
            return new Choice(withStartupTiming(handler.handler(), null, failureThreshold), "from annotation");
        }
        if (override instanceof StartupProbeOverride.Exact exact) {
            return new Choice(exact.probe(), "from annotation");
        }
        if (sidecar.getStartupProbe() != null) {
            return new Choice(sidecar.getStartupProbe(), "kept");
        }
        if (profile != null) {
            return new Choice(profile.startupProbe(failureThreshold), "profile of " + sidecar.getName());
        }
        Probe readiness = sidecar.getReadinessProbe();
        if (readiness != null) {
            return new Choice(withStartupTiming(readiness, readiness.getTimeoutSeconds(), failureThreshold),
                    "derived from readinessProbe");
        }
        return new Choice(null, "none, the container has no readinessProbe");
    }

    /**
     * The handler of {@code source} polled every second: start-up is gated on it, so a slow period
     * only delays the app. No initialDelaySeconds, and successThreshold stays at its default of 1.
     */
    private static Probe withStartupTiming(Probe source, Integer timeoutSeconds, int failureThreshold) {
        Probe probe = new Probe();
        probe.setExec(source.getExec());
        probe.setHttpGet(source.getHttpGet());
        probe.setTcpSocket(source.getTcpSocket());
        probe.setGrpc(source.getGrpc());
        probe.setPeriodSeconds(1);
        probe.setTimeoutSeconds(timeoutSeconds);
        probe.setFailureThreshold(failureThreshold);
        return probe;
    }
}

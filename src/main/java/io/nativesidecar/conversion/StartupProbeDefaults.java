package io.nativesidecar.conversion;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.nativesidecar.policy.StartupProbeOverride;
import io.nativesidecar.profile.SidecarProfile;
import io.nativesidecar.profile.StartupProbeRule;

import java.util.Map;

/**
 * Chooses a converted sidecar's startupProbe. The kubelet starts the next init container (and
 * finally the app) only once a native sidecar's startupProbe succeeded, so this probe is what
 * orders start-up: the annotation's, else the sidecar's own, else its profile's, else one derived
 * from its readinessProbe.
 */
final class StartupProbeDefaults {

    /**
     * The probe to set (null for none) and where it came from, for {@code --explain}; {@code fromProfile}
     * when the profile wrote it (its named ports are then checked against the container).
     */
    record Choice(Probe probe, String source, boolean fromProfile) {
        Choice(Probe probe, String source) {
            this(probe, source, false);
        }
    }

    private StartupProbeDefaults() {
    }

    /**
     * @param postStartRemoved whether the conversion removed a postStart hook that the profile's
     *                         startupProbe replaces
     * @param parameters       the profile's parameters, read from the pod
     */
    static Choice choose(Container sidecar, StartupProbeOverride override, SidecarProfile profile,
                         int failureThreshold, boolean postStartRemoved, Map<String, String> parameters) {
        if (override instanceof StartupProbeOverride.None) {
            return new Choice(null, "none, by annotation");
        }
        if (override instanceof StartupProbeOverride.Handler handler) {
            return new Choice(withHandlerOf(handler.handler(), startupTiming(null), failureThreshold), "from annotation");
        }
        if (override instanceof StartupProbeOverride.Exact exact) {
            return new Choice(exact.probe(), "from annotation");
        }
        if (sidecar.getStartupProbe() != null) {
            return new Choice(sidecar.getStartupProbe(), "kept");
        }
        Probe readiness = sidecar.getReadinessProbe();
        if (profile == null) {
            return fromReadiness(readiness, failureThreshold);
        }
        if (profile.startupProbeOnlyWith() == SidecarProfile.StartupProbeCondition.REMOVED_POST_START && !postStartRemoved) {
            return new Choice(null, "none, no postStart hook to replace");
        }
        if (profile.startupProbeOnlyWith() == SidecarProfile.StartupProbeCondition.READINESS_PROBE && readiness == null) {
            return new Choice(null, "none, the container has no readinessProbe");
        }
        StartupProbeRule rule = profile.startupProbe();
        if (rule instanceof StartupProbeRule.None) {
            return new Choice(null, "none, by profile");
        }
        if (rule instanceof StartupProbeRule.SameAsReadiness) {
            if (readiness == null) {
                return new Choice(null, "none, the container has no readinessProbe");
            }
            Probe copy = new ProbeBuilder(readiness).build();
            // A readinessProbe may want several successes; the API server allows a startupProbe only one.
            copy.setSuccessThreshold(null);
            return new Choice(copy, "copied from readinessProbe");
        }
        if (rule instanceof StartupProbeRule.Given given) {
            if (given.hasHandler()) {
                Probe probe = ParameterSubstitution.probe(given.probe(), parameters);
                if (probe.getFailureThreshold() == null) {
                    probe.setFailureThreshold(failureThreshold);
                }
                return new Choice(probe, "from profile", true);
            }
            return readiness == null ? new Choice(null, "none, the container has no readinessProbe")
                    : new Choice(withHandlerOf(readiness, given.probe(), failureThreshold),
                    "readinessProbe's check on the profile's timing");
        }
        return fromReadiness(readiness, failureThreshold);
    }

    /** The contract's derivation: the readiness check, every second, with its timeout and the configured threshold. */
    private static Choice fromReadiness(Probe readiness, int failureThreshold) {
        if (readiness == null) {
            return new Choice(null, "none, the container has no readinessProbe");
        }
        return new Choice(withHandlerOf(readiness, startupTiming(readiness.getTimeoutSeconds()), failureThreshold),
                "derived from readinessProbe");
    }

    /** Polled every second: start-up is gated on it, so a slow period only delays the app. */
    private static Probe startupTiming(Integer timeoutSeconds) {
        Probe timing = new Probe();
        timing.setPeriodSeconds(1);
        timing.setTimeoutSeconds(timeoutSeconds);
        return timing;
    }

    /**
     * {@code source}'s handler with {@code timing}'s fields; failureThreshold defaults to the
     * configured one, successThreshold stays at its default of 1.
     */
    private static Probe withHandlerOf(Probe source, Probe timing, int failureThreshold) {
        Probe probe = new Probe();
        probe.setExec(source.getExec());
        probe.setHttpGet(source.getHttpGet());
        probe.setTcpSocket(source.getTcpSocket());
        probe.setGrpc(source.getGrpc());
        probe.setInitialDelaySeconds(timing.getInitialDelaySeconds());
        probe.setPeriodSeconds(timing.getPeriodSeconds());
        probe.setTimeoutSeconds(timing.getTimeoutSeconds());
        probe.setTerminationGracePeriodSeconds(timing.getTerminationGracePeriodSeconds());
        probe.setSuccessThreshold(timing.getSuccessThreshold());
        probe.setFailureThreshold(timing.getFailureThreshold() != null ? timing.getFailureThreshold() : failureThreshold);
        return probe;
    }
}

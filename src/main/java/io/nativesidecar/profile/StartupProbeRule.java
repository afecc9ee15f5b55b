package io.nativesidecar.profile;

import io.fabric8.kubernetes.api.model.Probe;

/**
 * What a profile says about the startupProbe of a sidecar that has none. The kubelet starts the
 * next init container, and finally the app, only once this probe succeeded.
 */
public sealed interface StartupProbeRule {

    /** {@code none}: no startupProbe; the app starts as soon as the sidecar's process does. */
    record None() implements StartupProbeRule {
        @Override
        public String toString() {
            return "none";
        }
    }

    /**
     * {@code fromReadiness}: the readinessProbe's handler, polled every second with the readinessProbe's
     * timeout and the configured failureThreshold; none without a readinessProbe.
     */
    record FromReadiness() implements StartupProbeRule {
        @Override
        public String toString() {
            return "fromReadiness";
        }
    }

    /** {@code sameAsReadiness}: a copy of the readinessProbe, timing included; none without one. */
    record SameAsReadiness() implements StartupProbeRule {
        @Override
        public String toString() {
            return "sameAsReadiness";
        }
    }

    /**
     * A Probe. Without a handler (exec, httpGet, tcpSocket, grpc) it takes the readinessProbe's
     * handler, and there is none without a readinessProbe; without a failureThreshold it takes the
     * configured one.
     */
    record Given(Probe probe) implements StartupProbeRule {
        public boolean hasHandler() {
            return probe.getExec() != null || probe.getHttpGet() != null || probe.getTcpSocket() != null
                    || probe.getGrpc() != null;
        }
    }

    StartupProbeRule NONE = new None();
    StartupProbeRule FROM_READINESS = new FromReadiness();
    StartupProbeRule SAME_AS_READINESS = new SameAsReadiness();
}

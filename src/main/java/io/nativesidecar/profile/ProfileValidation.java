package io.nativesidecar.profile;

import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Probe;

import java.util.stream.Stream;

/** The API server's rules for the probes and hooks a profile writes, checked when the profile is read. */
final class ProfileValidation {

    private ProfileValidation() {
    }

    static void startupProbe(Probe probe) {
        long handlers = Stream.of(probe.getExec(), probe.getHttpGet(), probe.getTcpSocket(), probe.getGrpc())
                .filter(h -> h != null).count();
        check(handlers <= 1, "startupProbe", "at most one of exec, httpGet, tcpSocket, grpc (none: the readinessProbe's)");
        check(probe.getSuccessThreshold() == null || probe.getSuccessThreshold() == 1, "startupProbe.successThreshold",
                "must be 1 for a startupProbe");
        atLeast(probe.getTimeoutSeconds(), 1, "startupProbe.timeoutSeconds");
        atLeast(probe.getPeriodSeconds(), 1, "startupProbe.periodSeconds");
        atLeast(probe.getFailureThreshold(), 1, "startupProbe.failureThreshold");
        atLeast(probe.getInitialDelaySeconds(), 0, "startupProbe.initialDelaySeconds");
        if (probe.getExec() != null) {
            check(probe.getExec().getCommand() != null && !probe.getExec().getCommand().isEmpty(),
                    "startupProbe.exec.command", "required");
        }
    }

    static void handler(LifecycleHandler handler, String field) {
        long handlers = Stream.of(handler.getExec(), handler.getHttpGet(), handler.getSleep(), handler.getTcpSocket())
                .filter(h -> h != null).count();
        check(handlers == 1, field, "exactly one of exec, httpGet, sleep, tcpSocket");
        if (handler.getExec() != null) {
            check(handler.getExec().getCommand() != null && !handler.getExec().getCommand().isEmpty(),
                    field + ".exec.command", "required");
        }
        if (handler.getSleep() != null) {
            check(handler.getSleep().getSeconds() != null && handler.getSleep().getSeconds() >= 1,
                    field + ".sleep.seconds", "at least 1");
        }
    }

    private static void atLeast(Integer value, int minimum, String field) {
        check(value == null || value >= minimum, field, "at least " + minimum);
    }

    private static void check(boolean condition, String field, String problem) {
        if (!condition) {
            throw new SidecarProfile.InvalidProfile(field + ": " + problem);
        }
    }
}

package io.nativesidecar.testing;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.ExecAction;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Test oracle: the API server's pod validation rules that a sidecar conversion can break, mirrored
 * from kubernetes/pkg/apis/core/validation/validation.go for API servers 1.29 to 1.34.
 *
 * <p>Rules are checked against the pod as the API server sees it after defaulting, so unset or
 * zero probe fields (which the API server defaults) are accepted, as they are there.
 */
public final class ApiServerRules {

    /** {@code v1.DefaultTerminationGracePeriodSeconds}, filled in by defaulting before validation. */
    private static final long DEFAULT_GRACE_PERIOD_SECONDS = 30;

    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern PORT_NAME_CHARS = Pattern.compile("[-a-z0-9]+");
    private static final Pattern ONE_LETTER = Pattern.compile(".*[a-z].*");

    private ApiServerRules() {
    }

    /** Every rule the pod breaks, as readable sentences; empty when the API server would accept it. */
    public static List<String> violations(Pod pod) {
        List<String> out = new ArrayList<>();
        PodSpec spec = pod.getSpec();
        if (spec == null) {
            out.add("spec: required");
            return out;
        }
        long gracePeriod = gracePeriod(spec, out);
        List<Container> containers = listOf(spec.getContainers());
        if (containers.isEmpty()) {
            out.add("spec.containers: must contain at least one container");
        }

        // One set, filled in API-server order: regular, then init, then ephemeral containers, so a
        // clash is reported on the later list exactly as validation.go does.
        Set<String> names = new HashSet<>();
        for (int i = 0; i < containers.size(); i++) {
            Container c = containers.get(i);
            Report at = Report.of("containers", i, c.getName(), out);
            checkIdentity(c.getName(), c.getImage(), names, at);
            if (c.getRestartPolicy() != null) {
                at.add("restartPolicy may not be set for non-init containers");
            }
            checkHooksAndProbes(c, gracePeriod, at);
        }

        List<Container> initContainers = listOf(spec.getInitContainers());
        for (int i = 0; i < initContainers.size(); i++) {
            Container c = initContainers.get(i);
            Report at = Report.of("initContainers", i, c.getName(), out);
            checkIdentity(c.getName(), c.getImage(), names, at);
            checkInitContainer(c, gracePeriod, at);
        }

        List<EphemeralContainer> ephemeralContainers = listOf(spec.getEphemeralContainers());
        for (int i = 0; i < ephemeralContainers.size(); i++) {
            EphemeralContainer c = ephemeralContainers.get(i);
            Report at = Report.of("ephemeralContainers", i, c.getName(), out);
            checkIdentity(c.getName(), c.getImage(), names, at);
        }
        return out;
    }

    /**
     * The grace period that sleep hooks are measured against. Since Kubernetes 1.27 the API server
     * does not reject a negative value but turns it into 1 with a warning; a webhook that emits one
     * has a bug all the same, so it is reported here.
     */
    private static long gracePeriod(PodSpec spec, List<String> out) {
        Long seconds = spec.getTerminationGracePeriodSeconds();
        if (seconds == null) {
            return DEFAULT_GRACE_PERIOD_SECONDS;
        }
        if (seconds < 0) {
            out.add("spec.terminationGracePeriodSeconds: must be non-negative, got " + seconds);
            return 1;
        }
        return seconds;
    }

    /** validateContainerCommon (name, image) plus the name uniqueness checks of each container list. */
    private static void checkIdentity(String name, String image, Set<String> names, Report at) {
        if (name == null || name.isEmpty()) {
            at.add("name is required");
        } else if (name.length() > 63 || !DNS1123_LABEL.matcher(name).matches()) {
            at.add("name \"%s\" must be a DNS-1123 label (at most 63 characters: a-z, 0-9 and '-',"
                    + " starting and ending with an alphanumeric)", name);
        } else if (!names.add(name)) {
            at.add("duplicate container name \"%s\"", name);
        }
        if (image == null || image.isEmpty()) {
            at.add("image is required");
        }
    }

    /** validateInitContainers and validateInitContainerRestartPolicy. */
    private static void checkInitContainer(Container c, long gracePeriod, Report at) {
        String restartPolicy = c.getRestartPolicy();
        if (restartPolicy != null && !"Always".equals(restartPolicy)) {
            at.add("restartPolicy must be Always when set, got \"%s\"", restartPolicy);
        }
        if ("Always".equals(restartPolicy)) {
            checkHooksAndProbes(c, gracePeriod, at);
            return;
        }
        // Only restartable init containers (native sidecars) keep running long enough for hooks
        // and probes to mean anything.
        forbidOnPlainInit(c.getLifecycle(), "lifecycle", at);
        forbidOnPlainInit(c.getLivenessProbe(), "livenessProbe", at);
        forbidOnPlainInit(c.getReadinessProbe(), "readinessProbe", at);
        forbidOnPlainInit(c.getStartupProbe(), "startupProbe", at);
    }

    private static void forbidOnPlainInit(Object value, String field, Report at) {
        if (value != null) {
            at.add("plain init container must not set %s", field);
        }
    }

    /** What validateContainers checks for regular containers and validateInitContainers for sidecars. */
    private static void checkHooksAndProbes(Container c, long gracePeriod, Report at) {
        checkLifecycle(c.getLifecycle(), gracePeriod, at);
        checkProbe(c.getLivenessProbe(), "livenessProbe", at);
        checkProbe(c.getReadinessProbe(), "readinessProbe", at);
        checkProbe(c.getStartupProbe(), "startupProbe", at);
    }

    /** validateLifecycle and validateHandler with handlerFromLifecycle. */
    private static void checkLifecycle(Lifecycle lifecycle, long gracePeriod, Report at) {
        if (lifecycle == null) {
            return;
        }
        checkLifecycleHandler(lifecycle.getPostStart(), "lifecycle.postStart", gracePeriod, at);
        checkLifecycleHandler(lifecycle.getPreStop(), "lifecycle.preStop", gracePeriod, at);
    }

    private static void checkLifecycleHandler(LifecycleHandler hook, String field, long gracePeriod,
            Report at) {
        if (hook == null) {
            return;
        }
        // tcpSocket is deprecated as a hook and never run by the kubelet, but still accepted.
        List<String> handlers = present(
                hook.getExec(), "exec", hook.getHttpGet(), "httpGet",
                hook.getTcpSocket(), "tcpSocket", hook.getSleep(), "sleep");
        checkHandlerCount(handlers, field, "exec, httpGet, tcpSocket or sleep", at);
        checkExec(hook.getExec(), field, at);
        checkHttpGet(hook.getHttpGet(), field, at);
        if (hook.getTcpSocket() != null) {
            checkPort(hook.getTcpSocket().getPort(), field + ".tcpSocket.port", at);
        }
        if (hook.getSleep() != null) {
            checkSleep(hook.getSleep().getSeconds(), field + ".sleep.seconds", gracePeriod, at);
        }
    }

    /**
     * validateSleepAction. Zero seconds is accepted only where the PodLifecycleSleepActionAllowZero
     * gate is on (default from 1.33); the webhook supports 1.29 and later, so zero is rejected.
     */
    private static void checkSleep(Long seconds, String field, long gracePeriod, Report at) {
        long value = seconds == null ? 0 : seconds;
        if (value <= 0 || value > gracePeriod) {
            at.add("%s must be greater than 0 and at most terminationGracePeriodSeconds (%d), got %d",
                    field, gracePeriod, value);
        }
    }

    /** validateLivenessProbe, validateReadinessProbe, validateStartupProbe and validateProbe. */
    private static void checkProbe(Probe probe, String field, Report at) {
        if (probe == null) {
            return;
        }
        List<String> handlers = present(
                probe.getExec(), "exec", probe.getHttpGet(), "httpGet",
                probe.getTcpSocket(), "tcpSocket", probe.getGrpc(), "grpc");
        checkHandlerCount(handlers, field, "exec, httpGet, tcpSocket or grpc", at);
        checkExec(probe.getExec(), field, at);
        checkHttpGet(probe.getHttpGet(), field, at);
        if (probe.getTcpSocket() != null) {
            checkPort(probe.getTcpSocket().getPort(), field + ".tcpSocket.port", at);
        }
        if (probe.getGrpc() != null) {
            checkPort(new IntOrString(zeroIfNull(probe.getGrpc().getPort())), field + ".grpc.port", at);
        }

        checkNonNegative(probe.getInitialDelaySeconds(), field + ".initialDelaySeconds", at);
        checkNonNegative(probe.getTimeoutSeconds(), field + ".timeoutSeconds", at);
        checkNonNegative(probe.getPeriodSeconds(), field + ".periodSeconds", at);
        checkNonNegative(probe.getSuccessThreshold(), field + ".successThreshold", at);
        checkNonNegative(probe.getFailureThreshold(), field + ".failureThreshold", at);

        Long probeGrace = probe.getTerminationGracePeriodSeconds();
        if ("readinessProbe".equals(field)) {
            if (probeGrace != null) {
                at.add("%s.terminationGracePeriodSeconds must not be set for readiness probes", field);
            }
        } else if (probeGrace != null && probeGrace <= 0) {
            at.add("%s.terminationGracePeriodSeconds must be greater than 0, got %d", field, probeGrace);
        }

        // A liveness or startup probe decides on restarts, so one success must be enough.
        // Zero is fine: the API server defaults it to 1 before validating.
        int successThreshold = zeroIfNull(probe.getSuccessThreshold());
        if (!"readinessProbe".equals(field) && successThreshold != 0 && successThreshold != 1) {
            at.add("%s.successThreshold must be 1, got %d", field, successThreshold);
        }
    }

    private static void checkHandlerCount(List<String> handlers, String field, String choices,
            Report at) {
        if (handlers.isEmpty()) {
            at.add("%s must specify a handler (%s)", field, choices);
        } else if (handlers.size() > 1) {
            at.add("%s may specify only one handler, found %s", field, String.join(", ", handlers));
        }
    }

    /** validateExecAction. */
    private static void checkExec(ExecAction exec, String field, Report at) {
        if (exec != null && listOf(exec.getCommand()).isEmpty()) {
            at.add("%s.exec.command is required", field);
        }
    }

    /** validateHTTPGetAction; an empty path or scheme is defaulted to "/" and HTTP first. */
    private static void checkHttpGet(HTTPGetAction httpGet, String field, Report at) {
        if (httpGet == null) {
            return;
        }
        checkPort(httpGet.getPort(), field + ".httpGet.port", at);
        String scheme = httpGet.getScheme();
        if (scheme != null && !scheme.isEmpty() && !"HTTP".equals(scheme) && !"HTTPS".equals(scheme)) {
            at.add("%s.httpGet.scheme must be HTTP or HTTPS, got \"%s\"", field, scheme);
        }
    }

    /**
     * ValidatePortNumOrName. The API server checks only the syntax of a named port; it does not
     * require the name to be declared in the container's ports (the kubelet resolves it later).
     */
    private static void checkPort(IntOrString port, String field, Report at) {
        Object value = port == null ? null : port.getValue();
        if (value instanceof Number number) {
            int num = number.intValue();
            if (num < 1 || num > 65535) {
                at.add("%s must be between 1 and 65535, got %d", field, num);
            }
        } else if (value instanceof String name) {
            List<String> problems = portNameProblems(name);
            if (!problems.isEmpty()) {
                at.add("%s \"%s\" is not a valid port name: %s", field, name, String.join("; ", problems));
            }
        } else {
            at.add("%s is required", field);
        }
    }

    /** IsValidPortName: an IANA_SVC_NAME. */
    private static List<String> portNameProblems(String name) {
        List<String> problems = new ArrayList<>();
        if (name.length() > 15) {
            problems.add("must be no more than 15 characters");
        }
        if (!PORT_NAME_CHARS.matcher(name).matches()) {
            problems.add("must contain only a-z, 0-9 and '-'");
        }
        if (!ONE_LETTER.matcher(name).matches()) {
            problems.add("must contain at least one letter (a-z)");
        }
        if (name.contains("--")) {
            problems.add("must not contain consecutive hyphens");
        }
        if (name.startsWith("-") || name.endsWith("-")) {
            problems.add("must not begin or end with a hyphen");
        }
        return problems;
    }

    private static void checkNonNegative(Integer value, String field, Report at) {
        if (value != null && value < 0) {
            at.add("%s must be non-negative, got %d", field, value);
        }
    }

    /** The names of the non-null handlers, given as alternating value and name. */
    private static List<String> present(Object... valuesAndNames) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < valuesAndNames.length; i += 2) {
            if (valuesAndNames[i] != null) {
                names.add((String) valuesAndNames[i + 1]);
            }
        }
        return names;
    }

    private static int zeroIfNull(Integer value) {
        return value == null ? 0 : value;
    }

    private static <T> List<T> listOf(List<T> list) {
        return list == null ? List.of() : list;
    }

    /** Collects violations for one container, prefixed with where it sits in the pod. */
    private record Report(String subject, List<String> out) {

        static Report of(String list, int index, String name, List<String> out) {
            return new Report(list + "[" + index + "] (" + name + ")", out);
        }

        void add(String format, Object... args) {
            out.add(subject + ": " + String.format(format, args));
        }
    }
}

package io.nativesidecar.profile;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.TCPSocketAction;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The API server's rules for the probes, hooks and env a profile writes, checked when the profile is
 * read: a profile must never make a pod the API server rejects.
 */
final class ProfileValidation {

    /** An IANA service name, as the API server accepts for a named port. */
    private static final Pattern PORT_NAME = Pattern.compile("(?=.*[a-z])[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?");
    /** An environment variable name the API server accepts on every supported version (a C identifier, dots and dashes). */
    private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");
    /** An HTTP header name (an RFC 7230 token). */
    private static final Pattern HEADER_NAME = Pattern.compile("[-!#$%&'*+.^_`|~0-9A-Za-z]+");
    private static final int MAX_SLEEP_SECONDS = 86_400;

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
        check(probe.getTerminationGracePeriodSeconds() == null || probe.getTerminationGracePeriodSeconds() >= 1,
                "startupProbe.terminationGracePeriodSeconds", "at least 1");
        if (probe.getExec() != null) {
            command(probe.getExec().getCommand(), "startupProbe.exec.command");
        }
        httpGet(probe.getHttpGet(), "startupProbe.httpGet");
        tcpSocket(probe.getTcpSocket(), "startupProbe.tcpSocket");
        if (probe.getGrpc() != null) {
            check(probe.getGrpc().getPort() != null && probe.getGrpc().getPort() >= 1 && probe.getGrpc().getPort() <= 65535,
                    "startupProbe.grpc.port", "a port number from 1 to 65535");
        }
    }

    static void preStop(LifecycleHandler handler) {
        // The kubelet ignores a tcpSocket lifecycle handler (kept for compatibility only): refuse it.
        long handlers = Stream.of(handler.getExec(), handler.getHttpGet(), handler.getSleep()).filter(h -> h != null).count();
        check(handlers == 1 && handler.getTcpSocket() == null, "preStop", "exactly one of exec, httpGet, sleep");
        if (handler.getExec() != null) {
            command(handler.getExec().getCommand(), "preStop.exec.command");
        }
        httpGet(handler.getHttpGet(), "preStop.httpGet");
        if (handler.getSleep() != null) {
            Long seconds = handler.getSleep().getSeconds();
            check(seconds != null && seconds >= 1 && seconds <= MAX_SLEEP_SECONDS, "preStop.sleep.seconds",
                    "from 1 to " + MAX_SLEEP_SECONDS);
        }
    }

    static void envVar(EnvVar variable) {
        check(variable.getName() != null && ENV_NAME.matcher(variable.getName()).matches(), "env",
                "\"" + variable.getName() + "\" is not a variable name");
        EnvVarSource source = variable.getValueFrom();
        String field = "env." + variable.getName();
        check(source == null || variable.getValue() == null, field, "value or valueFrom, not both");
        if (source != null) {
            long sources = Stream.of(source.getConfigMapKeyRef(), source.getFieldRef(), source.getResourceFieldRef(),
                    source.getSecretKeyRef(), source.getFileKeyRef()).filter(s -> s != null).count();
            check(sources == 1, field, "valueFrom needs exactly one source");
            check(source.getFieldRef() == null || present(source.getFieldRef().getFieldPath()), field,
                    "valueFrom.fieldRef needs fieldPath");
            check(source.getResourceFieldRef() == null || present(source.getResourceFieldRef().getResource()), field,
                    "valueFrom.resourceFieldRef needs resource");
            check(source.getConfigMapKeyRef() == null || present(source.getConfigMapKeyRef().getKey()), field,
                    "valueFrom.configMapKeyRef needs key");
            check(source.getSecretKeyRef() == null || present(source.getSecretKeyRef().getKey()), field,
                    "valueFrom.secretKeyRef needs key");
            check(source.getFileKeyRef() == null || (present(source.getFileKeyRef().getKey())
                    && present(source.getFileKeyRef().getPath()) && present(source.getFileKeyRef().getVolumeName())),
                    field, "valueFrom.fileKeyRef needs key, path and volumeName");
        }
    }

    private static void httpGet(HTTPGetAction action, String field) {
        if (action != null) {
            port(action.getPort(), field + ".port");
            check(action.getScheme() == null || action.getScheme().equals("HTTP") || action.getScheme().equals("HTTPS"),
                    field + ".scheme", "HTTP or HTTPS");
            if (action.getHttpHeaders() != null) {
                for (HTTPHeader header : action.getHttpHeaders()) {
                    check(header != null && header.getName() != null && HEADER_NAME.matcher(header.getName()).matches(),
                            field + ".httpHeaders", "every header needs a name");
                }
            }
        }
    }

    private static void command(List<String> command, String field) {
        check(command != null && !command.isEmpty(), field, "required");
        check(command.stream().allMatch(word -> word != null), field, "an empty word");
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    private static void tcpSocket(TCPSocketAction action, String field) {
        if (action != null) {
            port(action.getPort(), field + ".port");
        }
    }

    /** A number from 1 to 65535, a port name of the container, or a value filled in from a parameter. */
    private static void port(IntOrString port, String field) {
        check(port != null && (port.getIntVal() != null || port.getStrVal() != null), field, "required");
        if (port.getIntVal() != null) {
            check(port.getIntVal() >= 1 && port.getIntVal() <= 65535, field, "a port number from 1 to 65535");
        } else if (!port.getStrVal().contains("${")) {
            check(!port.getStrVal().chars().allMatch(Character::isDigit), field, "a port number is written without quotes");
            check(PORT_NAME.matcher(port.getStrVal()).matches(), field, "\"" + port.getStrVal() + "\" is not a port name");
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

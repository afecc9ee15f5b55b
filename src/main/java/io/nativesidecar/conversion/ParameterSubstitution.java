package io.nativesidecar.conversion;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ExecAction;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.TCPSocketAction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A profile's probe, hook or env for one pod: {@code ${name}} replaced by the pod's values (see
 * {@code ParameterReferences} for where). Each call copies every object on the way to a string it
 * may change, so the profile is never written to; what it cannot change (a gRPC check, an env
 * source) is shared, as the engine shares a pod's unchanged objects, and nothing writes to those.
 */
final class ParameterSubstitution {

    private ParameterSubstitution() {
    }

    static Probe probe(Probe probe, Map<String, String> values) {
        Probe copy = ShallowCopy.of(probe);
        if (probe.getExec() != null) {
            copy.setExec(exec(probe.getExec(), values));
        }
        copy.setHttpGet(httpGet(probe.getHttpGet(), values));
        copy.setTcpSocket(tcpSocket(probe.getTcpSocket(), values));
        return copy;
    }

    static LifecycleHandler handler(LifecycleHandler handler, Map<String, String> values) {
        LifecycleHandler copy = ShallowCopy.of(handler);
        if (handler.getExec() != null) {
            copy.setExec(exec(handler.getExec(), values));
        }
        copy.setHttpGet(httpGet(handler.getHttpGet(), values));
        return copy;
    }

    static EnvVar envVar(EnvVar variable, Map<String, String> values) {
        EnvVar copy = ShallowCopy.of(variable);
        copy.setValue(replace(variable.getValue(), values));
        return copy;
    }

    private static ExecAction exec(ExecAction exec, Map<String, String> values) {
        ExecAction copy = ShallowCopy.of(exec);
        if (exec.getCommand() != null) {
            List<String> command = new ArrayList<>(exec.getCommand().size());
            exec.getCommand().forEach(word -> command.add(replace(word, values)));
            copy.setCommand(command);
        }
        return copy;
    }

    private static HTTPGetAction httpGet(HTTPGetAction action, Map<String, String> values) {
        if (action == null) {
            return null;
        }
        HTTPGetAction copy = ShallowCopy.of(action);
        copy.setPath(replace(action.getPath(), values));
        copy.setHost(replace(action.getHost(), values));
        copy.setPort(port(action.getPort(), values));
        if (action.getHttpHeaders() != null) {
            List<HTTPHeader> headers = new ArrayList<>(action.getHttpHeaders().size());
            for (HTTPHeader header : action.getHttpHeaders()) {
                headers.add(new HTTPHeader(header.getName(), replace(header.getValue(), values)));
            }
            copy.setHttpHeaders(headers);
        }
        return copy;
    }

    private static TCPSocketAction tcpSocket(TCPSocketAction action, Map<String, String> values) {
        if (action == null) {
            return null;
        }
        TCPSocketAction copy = ShallowCopy.of(action);
        copy.setHost(replace(action.getHost(), values));
        copy.setPort(port(action.getPort(), values));
        return copy;
    }

    /** A port that became a number is written as one, as the project's own template writes it. */
    private static IntOrString port(IntOrString port, Map<String, String> values) {
        if (port == null) {
            return null;
        }
        if (port.getStrVal() == null) {
            return new IntOrString(port.getIntVal());
        }
        String value = replace(port.getStrVal(), values);
        if (!value.isEmpty() && value.length() <= 5 && value.chars().allMatch(Character::isDigit)) {
            int number = Integer.parseInt(value);
            if (number >= 1 && number <= 65535) {
                return new IntOrString(number);
            }
        }
        // Anything else stays a name, which the engine checks against the container's ports.
        return new IntOrString(value);
    }

    /** {@code text} with each {@code ${name}} replaced; an unknown name is left as written (validation refuses it). */
    static String replace(String text, Map<String, String> values) {
        if (text == null || values.isEmpty()) {
            return text;
        }
        int start = text.indexOf("${");
        if (start < 0) {
            return text;
        }
        StringBuilder replaced = new StringBuilder(text.length() + 8);
        int from = 0;
        while (start >= 0) {
            int end = text.indexOf('}', start + 2);
            if (end < 0) {
                break;
            }
            String value = values.get(text.substring(start + 2, end));
            if (value == null) {
                // Not a parameter (as in "${a ${p}"): look for the next "${" inside it.
                start = text.indexOf("${", start + 2);
                continue;
            }
            replaced.append(text, from, start).append(value);
            from = end + 1;
            start = text.indexOf("${", from);
        }
        return replaced.append(text, from, text.length()).toString();
    }
}

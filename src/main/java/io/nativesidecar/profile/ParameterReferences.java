package io.nativesidecar.profile;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.TCPSocketAction;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a profile may write {@code ${name}}: the strings a project's own template fills in, namely
 * exec commands, HTTP paths, hosts, header values and ports, TCP hosts and ports, env values. The
 * engine replaces them (conversion's {@code ParameterSubstitution}); this finds them, so that a
 * profile that uses an undeclared parameter is refused when it is read.
 */
final class ParameterReferences {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z][A-Za-z0-9]*)}");

    private ParameterReferences() {
    }

    /** The parameter names a profile's probe, hook and env refer to. */
    static Set<String> used(Probe probe, LifecycleHandler preStop, List<EnvVar> env) {
        Set<String> used = new LinkedHashSet<>();
        Consumer<String> collect = text -> {
            if (text != null) {
                Matcher matcher = REFERENCE.matcher(text);
                while (matcher.find()) {
                    used.add(matcher.group(1));
                }
            }
        };
        if (probe != null) {
            if (probe.getExec() != null && probe.getExec().getCommand() != null) {
                probe.getExec().getCommand().forEach(collect);
            }
            httpGet(probe.getHttpGet(), collect);
            tcpSocket(probe.getTcpSocket(), collect);
        }
        if (preStop != null) {
            if (preStop.getExec() != null && preStop.getExec().getCommand() != null) {
                preStop.getExec().getCommand().forEach(collect);
            }
            httpGet(preStop.getHttpGet(), collect);
        }
        env.forEach(variable -> collect.accept(variable.getValue()));
        return used;
    }

    private static void httpGet(HTTPGetAction action, Consumer<String> collect) {
        if (action != null) {
            collect.accept(action.getPath());
            collect.accept(action.getHost());
            if (action.getHttpHeaders() != null) {
                action.getHttpHeaders().stream().map(HTTPHeader::getValue).forEach(collect);
            }
            port(action.getPort(), collect);
        }
    }

    private static void tcpSocket(TCPSocketAction action, Consumer<String> collect) {
        if (action != null) {
            collect.accept(action.getHost());
            port(action.getPort(), collect);
        }
    }

    private static void port(IntOrString port, Consumer<String> collect) {
        if (port != null) {
            collect.accept(port.getStrVal());
        }
    }
}

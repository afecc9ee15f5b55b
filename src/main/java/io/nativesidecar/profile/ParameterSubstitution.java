package io.nativesidecar.profile;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.LifecycleHandlerBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.TCPSocketAction;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${name}} in a profile's probes, hooks and env, replaced by values read from the pod. Only
 * the strings a project's own template fills in are looked at: exec commands, HTTP paths, hosts,
 * header values and ports, TCP hosts and ports, env values. Every call returns a new object, so
 * that no two pods share a mutable one.
 */
public final class ParameterSubstitution {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z][A-Za-z0-9]*)}");

    private ParameterSubstitution() {
    }

    /** The parameter names a profile's probe, hook and env refer to. */
    static Set<String> used(Probe probe, LifecycleHandler preStop, List<EnvVar> env) {
        Set<String> used = new LinkedHashSet<>();
        UnaryOperator<String> collect = text -> {
            Matcher matcher = REFERENCE.matcher(text);
            while (matcher.find()) {
                used.add(matcher.group(1));
            }
            return text;
        };
        if (probe != null) {
            probe(probe, collect);
        }
        if (preStop != null) {
            handler(preStop, collect);
        }
        env.forEach(variable -> envVar(variable, collect));
        return used;
    }

    /** A copy of {@code probe} with its parameters replaced. */
    public static Probe probe(Probe probe, Map<String, String> values) {
        return probe(new ProbeBuilder(probe).build(), replacer(values));
    }

    /** A copy of {@code handler} with its parameters replaced. */
    public static LifecycleHandler handler(LifecycleHandler handler, Map<String, String> values) {
        return handler(new LifecycleHandlerBuilder(handler).build(), replacer(values));
    }

    /** A copy of {@code variable} with its parameters replaced. */
    public static EnvVar envVar(EnvVar variable, Map<String, String> values) {
        return envVar(new EnvVarBuilder(variable).build(), replacer(values));
    }

    private static UnaryOperator<String> replacer(Map<String, String> values) {
        return text -> {
            if (text.indexOf('$') < 0) {
                return text;
            }
            Matcher matcher = REFERENCE.matcher(text);
            StringBuilder replaced = new StringBuilder();
            while (matcher.find()) {
                String value = values.get(matcher.group(1));
                matcher.appendReplacement(replaced, Matcher.quoteReplacement(value == null ? matcher.group() : value));
            }
            matcher.appendTail(replaced);
            return replaced.toString();
        };
    }

    private static Probe probe(Probe probe, UnaryOperator<String> replace) {
        if (probe.getExec() != null && probe.getExec().getCommand() != null) {
            probe.getExec().setCommand(words(probe.getExec().getCommand(), replace));
        }
        httpGet(probe.getHttpGet(), replace);
        tcpSocket(probe.getTcpSocket(), replace);
        return probe;
    }

    private static LifecycleHandler handler(LifecycleHandler handler, UnaryOperator<String> replace) {
        if (handler.getExec() != null && handler.getExec().getCommand() != null) {
            handler.getExec().setCommand(words(handler.getExec().getCommand(), replace));
        }
        httpGet(handler.getHttpGet(), replace);
        tcpSocket(handler.getTcpSocket(), replace);
        return handler;
    }

    private static EnvVar envVar(EnvVar variable, UnaryOperator<String> replace) {
        if (variable.getValue() != null) {
            variable.setValue(replace.apply(variable.getValue()));
        }
        return variable;
    }

    private static List<String> words(List<String> command, UnaryOperator<String> replace) {
        List<String> replaced = new ArrayList<>(command.size());
        command.forEach(word -> replaced.add(word == null ? null : replace.apply(word)));
        return replaced;
    }

    private static void httpGet(HTTPGetAction action, UnaryOperator<String> replace) {
        if (action == null) {
            return;
        }
        if (action.getPath() != null) {
            action.setPath(replace.apply(action.getPath()));
        }
        if (action.getHost() != null) {
            action.setHost(replace.apply(action.getHost()));
        }
        if (action.getHttpHeaders() != null) {
            for (HTTPHeader header : action.getHttpHeaders()) {
                if (header.getValue() != null) {
                    header.setValue(replace.apply(header.getValue()));
                }
            }
        }
        action.setPort(port(action.getPort(), replace));
    }

    private static void tcpSocket(TCPSocketAction action, UnaryOperator<String> replace) {
        if (action == null) {
            return;
        }
        if (action.getHost() != null) {
            action.setHost(replace.apply(action.getHost()));
        }
        action.setPort(port(action.getPort(), replace));
    }

    /** A port that became a number is written as one, as the project's own template writes it. */
    private static IntOrString port(IntOrString port, UnaryOperator<String> replace) {
        if (port == null || port.getStrVal() == null) {
            return port;
        }
        String value = replace.apply(port.getStrVal());
        if (!value.isEmpty() && value.length() <= 5 && value.chars().allMatch(Character::isDigit)) {
            int number = Integer.parseInt(value);
            if (number >= 1 && number <= 65535) {
                return new IntOrString(number);
            }
        }
        // Anything else stays a name, which the engine checks against the container's ports.
        return new IntOrString(value);
    }
}

package io.nativesidecar.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import io.nativesidecar.report.Finding;
import io.nativesidecar.report.Reason;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns a pod's annotations into a {@link PodPolicy}. Never throws: an invalid value becomes an
 * {@link Reason#INVALID_ANNOTATION} finding and that annotation is ignored.
 */
public final class PodPolicyParser {

    private static final Pattern CONTAINER_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** {@code <port><path>}: a number or IANA service name, then an optional absolute path. */
    private static final Pattern HTTP_TARGET = Pattern.compile("([0-9]{1,5}|[a-z0-9][-a-z0-9]{0,14})(/\\S*)?");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}|[a-z0-9][-a-z0-9]{0,14}");
    private static final int MAX_SLEEP_SECONDS = 86_400;
    private static final int MAX_SHOWN_VALUE = 24;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private PodPolicyParser() {
    }

    public static PodPolicy parse(Map<String, String> annotations) {
        if (annotations == null || annotations.isEmpty()) {
            return PodPolicy.DEFAULT;
        }
        boolean enabled = true;
        List<String> extraSidecars = List.of();
        Set<String> excluded = Set.of();
        Map<String, Placement> placements = new HashMap<>();
        Map<String, StartupProbeOverride> startupProbes = new HashMap<>();
        Map<String, PreStopOverride> preStops = new HashMap<>();
        Map<String, String> profiles = new HashMap<>();
        List<Finding> findings = new ArrayList<>();

        for (Map.Entry<String, String> annotation : annotations.entrySet()) {
            String key = annotation.getKey();
            if (key == null || !key.startsWith(Annotations.PREFIX)) {
                continue;
            }
            String value = annotation.getValue() == null ? "" : annotation.getValue().trim();
            try {
                if (key.equals(Annotations.ENABLED)) {
                    enabled = parseEnabled(value);
                } else if (key.equals(Annotations.SIDECARS)) {
                    extraSidecars = List.copyOf(parseNames(value));
                } else if (key.equals(Annotations.EXCLUDE)) {
                    excluded = Set.copyOf(parseNames(value));
                } else if (key.startsWith(Annotations.PLACEMENT_PREFIX)) {
                    placements.put(containerOf(key, Annotations.PLACEMENT_PREFIX), parsePlacement(value));
                } else if (key.startsWith(Annotations.STARTUP_PROBE_PREFIX)) {
                    startupProbes.put(containerOf(key, Annotations.STARTUP_PROBE_PREFIX), parseStartupProbe(value));
                } else if (key.startsWith(Annotations.PRE_STOP_PREFIX)) {
                    preStops.put(containerOf(key, Annotations.PRE_STOP_PREFIX), parsePreStop(value));
                } else if (key.startsWith(Annotations.PROFILE_PREFIX)) {
                    profiles.put(containerOf(key, Annotations.PROFILE_PREFIX), parseProfileName(value));
                } else if (!key.equals(Annotations.CONVERTED)) {
                    throw new InvalidValue("unknown nativesidecar.io annotation");
                }
            } catch (InvalidValue invalid) {
                findings.add(Finding.of(Reason.INVALID_ANNOTATION, key, invalid.getMessage()));
            }
        }
        return new PodPolicy(enabled, extraSidecars, excluded, Map.copyOf(placements), Map.copyOf(startupProbes),
                Map.copyOf(preStops), Map.copyOf(profiles), List.copyOf(findings));
    }

    private static boolean parseEnabled(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw InvalidValue.of(value, "want true or false");
        };
    }

    private static Set<String> parseNames(String value) {
        Set<String> names = new LinkedHashSet<>();
        for (String part : value.split(",")) {
            String name = part.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (!CONTAINER_NAME.matcher(name).matches()) {
                throw InvalidValue.of(name, "not a container name");
            }
            names.add(name);
        }
        return names;
    }

    private static String containerOf(String key, String prefix) {
        String name = key.substring(prefix.length());
        if (!CONTAINER_NAME.matcher(name).matches()) {
            throw new InvalidValue("\"" + shorten(name) + "\" in the key is not a container name");
        }
        return name;
    }

    private static Placement parsePlacement(String value) {
        if (value.equals("before-init")) {
            return Placement.BEFORE_INIT;
        }
        if (value.equals("after-init")) {
            return Placement.AFTER_INIT;
        }
        if (value.startsWith("after:")) {
            String anchor = value.substring("after:".length()).trim();
            if (CONTAINER_NAME.matcher(anchor).matches()) {
                return Placement.after(anchor);
            }
        }
        throw InvalidValue.of(value, "want before-init, after-init or after:NAME");
    }

    private static String parseProfileName(String value) {
        if (!CONTAINER_NAME.matcher(value).matches()) {
            throw InvalidValue.of(value, "not a profile name");
        }
        return value;
    }

    private static StartupProbeOverride parseStartupProbe(String value) {
        if (value.equals("none")) {
            return new StartupProbeOverride.None();
        }
        if (value.startsWith("http:")) {
            Probe probe = new Probe();
            probe.setHttpGet(httpGet(value.substring("http:".length()), value));
            return new StartupProbeOverride.Handler(probe);
        }
        if (value.startsWith("tcp:")) {
            Probe probe = new Probe();
            probe.setTcpSocket(new TCPSocketAction(null, port(value.substring("tcp:".length()), value)));
            return new StartupProbeOverride.Handler(probe);
        }
        if (value.startsWith("{")) {
            Probe probe = readJson(value, Probe.class);
            long handlers = Stream.of(probe.getExec(), probe.getHttpGet(), probe.getTcpSocket(), probe.getGrpc())
                    .filter(h -> h != null).count();
            if (handlers != 1) {
                throw new InvalidValue("a Probe needs one of exec, httpGet, tcpSocket, grpc");
            }
            if (probe.getSuccessThreshold() != null && probe.getSuccessThreshold() != 1) {
                throw new InvalidValue("a startupProbe's successThreshold must be 1");
            }
            return new StartupProbeOverride.Exact(probe);
        }
        throw InvalidValue.of(value, "want none, http:PORT/PATH, tcp:PORT or JSON");
    }

    private static PreStopOverride parsePreStop(String value) {
        if (value.equals("none")) {
            return new PreStopOverride.None();
        }
        if (value.startsWith("sleep:")) {
            String seconds = value.substring("sleep:".length()).trim();
            try {
                int parsed = Integer.parseInt(seconds);
                if (parsed >= 1 && parsed <= MAX_SLEEP_SECONDS) {
                    return new PreStopOverride.Sleep(parsed);
                }
            } catch (NumberFormatException notANumber) {
                // reported below
            }
            throw InvalidValue.of(value, "want sleep:1 to sleep:" + MAX_SLEEP_SECONDS);
        }
        if (value.startsWith("http:")) {
            LifecycleHandler handler = new LifecycleHandler();
            handler.setHttpGet(httpGet(value.substring("http:".length()), value));
            return new PreStopOverride.Handler(handler);
        }
        if (value.startsWith("{")) {
            LifecycleHandler handler = readJson(value, LifecycleHandler.class);
            long handlers = Stream.of(handler.getExec(), handler.getHttpGet(), handler.getTcpSocket(), handler.getSleep())
                    .filter(h -> h != null).count();
            if (handlers != 1) {
                throw new InvalidValue("a handler needs one of exec, httpGet, sleep, tcpSocket");
            }
            return new PreStopOverride.Handler(handler);
        }
        throw InvalidValue.of(value, "want none, sleep:N, http:PORT/PATH or JSON");
    }

    private static HTTPGetAction httpGet(String target, String value) {
        Matcher matcher = HTTP_TARGET.matcher(target);
        if (!matcher.matches()) {
            throw InvalidValue.of(value, "want http:PORT/PATH");
        }
        HTTPGetAction action = new HTTPGetAction();
        action.setPort(port(matcher.group(1), value));
        action.setPath(matcher.group(2) == null ? "/" : matcher.group(2));
        return action;
    }

    private static IntOrString port(String port, String value) {
        if (!PORT.matcher(port).matches()) {
            throw InvalidValue.of(value, "not a port");
        }
        if (Character.isDigit(port.charAt(0)) && port.chars().allMatch(Character::isDigit)) {
            int number = Integer.parseInt(port);
            if (number < 1 || number > 65535) {
                throw InvalidValue.of(value, "port out of range 1-65535");
            }
            return new IntOrString(number);
        }
        if (port.chars().noneMatch(Character::isLetter)) {
            throw InvalidValue.of(value, "not a port");
        }
        return new IntOrString(port);
    }

    private static <T> T readJson(String value, Class<T> type) {
        try {
            return JSON.readValue(value, type);
        } catch (com.fasterxml.jackson.core.JsonParseException e) {
            throw new InvalidValue("invalid JSON");
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new InvalidValue("JSON is not a " + type.getSimpleName());
        }
    }

    private static String shorten(String value) {
        return value.length() <= MAX_SHOWN_VALUE ? value : value.substring(0, MAX_SHOWN_VALUE - 3) + "...";
    }

    /** Control flow for a rejected value; never leaves this class. */
    private static final class InvalidValue extends RuntimeException {
        InvalidValue(String message) {
            super(message, null, false, false);
        }

        static InvalidValue of(String value, String expectation) {
            return new InvalidValue("\"" + shorten(value) + "\": " + expectation);
        }
    }
}

package io.nativesidecar.conversion;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.nativesidecar.profile.SidecarProfile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A profile's parameters as one pod sets them (see {@link SidecarProfile.Parameter} for where each is read). */
final class PodParameters {

    private PodParameters() {
    }

    static Map<String, String> of(SidecarProfile profile, Map<String, String> annotations, Container sidecar, PodSpec spec) {
        if (profile == null || profile.parameters().isEmpty()) {
            return Map.of();
        }
        Map<String, String> values = new HashMap<>();
        profile.parameters().forEach((name, parameter) -> values.put(name, value(parameter, annotations, sidecar, spec)));
        return values;
    }

    private static String value(SidecarProfile.Parameter parameter, Map<String, String> annotations, Container sidecar,
                                PodSpec spec) {
        if (parameter.annotation() != null && annotations != null && annotations.get(parameter.annotation()) != null) {
            return annotations.get(parameter.annotation());
        }
        if (parameter.ifNoReadinessProbe() != null && sidecar.getReadinessProbe() == null) {
            return parameter.ifNoReadinessProbe();
        }
        String argument = parameter.initContainerArgument() == null ? null
                : argument(parameter.initContainerArgument(), spec.getInitContainers());
        return argument != null ? argument : parameter.defaultValue();
    }

    private static String argument(SidecarProfile.InitContainerArgument wanted, List<Container> initContainers) {
        if (initContainers == null) {
            return null;
        }
        for (String name : wanted.containers()) {
            for (Container init : initContainers) {
                if (init == null || !name.equals(init.getName()) || init.getArgs() == null) {
                    continue;
                }
                int flag = init.getArgs().indexOf(wanted.after());
                if (flag >= 0 && flag + 1 < init.getArgs().size() && init.getArgs().get(flag + 1) != null) {
                    String value = init.getArgs().get(flag + 1);
                    String item = wanted.lastListItem() ? value.substring(value.lastIndexOf(',') + 1).trim() : value;
                    if (!item.isEmpty()) {
                        return item;
                    }
                }
            }
        }
        return null;
    }
}

package io.nativesidecar.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LifecycleHandler;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What is known about one well-known sidecar: how it is recognised, and what its own project does
 * when it runs it as a native sidecar. The facts are data (the catalogue and the configuration
 * file); {@code conversion} holds the mechanism that applies them.
 *
 * @param name                          the profile's name, used by {@code nativesidecar.io/profile.<container>}
 * @param source                        where the facts come from (repository, path, commit)
 * @param match                         how a container is recognised
 * @param meshProxy                     a mesh proxy: its setup init containers move to the front and it goes right after them
 * @param setupContainers               a mesh proxy's setup init containers (traffic redirection, CNI validation), in order
 * @param placement                     where a non-mesh sidecar goes among the init containers
 * @param startupProbe                  the startupProbe of a sidecar that has none
 * @param startupProbeOnlyWith          add the startupProbe only when the sidecar has a readinessProbe, or a postStart hook to remove
 * @param preStop                       the preStop hook of a sidecar that has none (null: none)
 * @param replaceExistingPreStop        the profile's preStop (or none) replaces the sidecar's own, as the project's native mode does
 * @param removePostStart               postStart exec commands that a startupProbe replaces, by their first words
 * @param env                           environment variables added when the sidecar is converted (unless already set)
 * @param parameters                    values read from the pod, written {@code ${name}} in probes, hooks and env
 * @param recordAnnotations             pod annotations in which the sidecar's injector lists the containers it injected
 * @param nativeSidecarAnnotations      the project's own per-pod switches of its native mode: {@code "false"} keeps the sidecar classic
 * @param convertByDefault              converted in every opted-in pod without being named
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"name", "source", "match", "convertByDefault", "meshProxy", "setupContainers", "placement",
        "startupProbe", "startupProbeOnlyWith", "preStop", "replaceExistingPreStop", "removePostStart", "env", "parameters",
        "recordAnnotations", "nativeSidecarAnnotations"})
public record SidecarProfile(
        String name,
        String source,
        Match match,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean meshProxy,
        List<String> setupContainers,
        DefaultPlacement placement,
        @JsonSerialize(using = StartupProbeRuleJson.Writer.class)
        @JsonDeserialize(using = StartupProbeRuleJson.Reader.class)
        StartupProbeRule startupProbe,
        StartupProbeCondition startupProbeOnlyWith,
        LifecycleHandler preStop,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean replaceExistingPreStop,
        List<List<String>> removePostStart,
        List<EnvVar> env,
        Map<String, Parameter> parameters,
        List<RecordAnnotation> recordAnnotations,
        List<String> nativeSidecarAnnotations,
        Boolean convertByDefault) {

    static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]*");

    public SidecarProfile {
        require(name != null, "name", "required");
        require(NAME.matcher(name).matches(), "name", "\"" + name + "\" is not a lowercase DNS label");
        require(match != null, "match", "required: names, images or namePrefixes");
        setupContainers = containerNames(setupContainers, "setupContainers");
        require(removePostStart == null || removePostStart.stream().allMatch(command -> command != null
                && !command.isEmpty() && command.stream().allMatch(word -> word != null && !word.isBlank())),
                "removePostStart", "each entry is a non-empty list of command words");
        removePostStart = removePostStart == null ? List.of() : removePostStart.stream().map(List::copyOf).toList();
        require(env == null || env.stream().noneMatch(Objects::isNull), "env", "an empty entry");
        env = env == null ? List.of() : List.copyOf(env);
        parameters = parameters == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        require(recordAnnotations == null || recordAnnotations.stream().noneMatch(Objects::isNull),
                "recordAnnotations", "an empty entry");
        recordAnnotations = recordAnnotations == null ? List.of() : List.copyOf(recordAnnotations);
        require(nativeSidecarAnnotations == null || nativeSidecarAnnotations.stream().allMatch(a -> a != null && !a.isBlank()),
                "nativeSidecarAnnotations", "an empty entry");
        nativeSidecarAnnotations = nativeSidecarAnnotations == null ? List.of() : List.copyOf(nativeSidecarAnnotations);
        startupProbe = startupProbe == null ? StartupProbeRule.FROM_READINESS : startupProbe;
        convertByDefault = convertByDefault == null || convertByDefault;

        require(meshProxy || setupContainers.isEmpty(), "setupContainers", "only a meshProxy follows setup containers");
        require(!meshProxy || placement == null, "placement",
                "a meshProxy always goes right after its setup containers, before the other init containers");
        if (startupProbe instanceof StartupProbeRule.Given given) {
            ProfileValidation.startupProbe(given.probe());
        }
        require(startupProbeOnlyWith == null || !(startupProbe instanceof StartupProbeRule.None),
                "startupProbeOnlyWith", "needs a startupProbe");
        require(startupProbeOnlyWith != StartupProbeCondition.REMOVED_POST_START || !removePostStart.isEmpty(),
                "startupProbeOnlyWith", "removedPostStart needs removePostStart");
        if (preStop != null) {
            ProfileValidation.preStop(preStop);
        }
        Set<String> envNames = new HashSet<>();
        for (EnvVar variable : env) {
            ProfileValidation.envVar(variable);
            require(envNames.add(variable.getName()), "env", "\"" + variable.getName() + "\" is set twice");
        }
        parameters.forEach((parameter, from) -> {
            require(PARAMETER_NAME.matcher(parameter).matches(), "parameters", "\"" + parameter + "\" is not a parameter name");
            require(from != null, "parameters." + parameter, "needs at least a default");
        });
        Set<String> used = ParameterReferences.used(startupProbe instanceof StartupProbeRule.Given given
                ? given.probe() : null, preStop, env);
        for (String parameter : used) {
            require(parameters.containsKey(parameter), "parameters",
                    "${" + parameter + "} is used but not declared under parameters");
        }
    }

    /** Container names, checked before they are copied (a copy would fail on a null without saying where). */
    private static List<String> containerNames(List<String> names, String field) {
        if (names == null) {
            return List.of();
        }
        for (String name : names) {
            require(name != null && NAME.matcher(name).matches(), field, "\"" + name + "\" is not a container name");
        }
        return List.copyOf(names);
    }

    private static void require(boolean condition, String field, String problem) {
        if (!condition) {
            throw new InvalidProfile(field + ": " + problem);
        }
    }

    /**
     * How a container is recognised: its exact name, its image's repository (a glob, see
     * {@link ImagePattern}), or the start of its name.
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"names", "images", "namePrefixes"})
    public record Match(List<String> names, List<String> images, List<String> namePrefixes) {
        public Match {
            // Field names relative to match: the file's path already ends in it.
            names = containerNames(names, "names");
            require(images == null || images.stream().noneMatch(Objects::isNull), "images", "an empty entry");
            images = images == null ? List.of() : List.copyOf(images);
            require(namePrefixes == null || namePrefixes.stream().noneMatch(Objects::isNull), "namePrefixes", "an empty entry");
            namePrefixes = namePrefixes == null ? List.of() : List.copyOf(namePrefixes);
            require(!(names.isEmpty() && images.isEmpty() && namePrefixes.isEmpty()), "names",
                    "needs names, images or namePrefixes");
            for (String prefix : namePrefixes) {
                require(prefix != null && Pattern.matches("[a-z0-9][-a-z0-9]{0,61}", prefix), "namePrefixes",
                        "\"" + prefix + "\" cannot start a container name");
            }
            for (String image : images) {
                try {
                    ImagePattern.of(image);
                } catch (IllegalArgumentException e) {
                    throw new InvalidProfile("images: " + e.getMessage());
                }
            }
        }
    }

    /** Where a non-mesh sidecar goes by default, as the annotation {@code nativesidecar.io/placement.<c>} says it. */
    public enum DefaultPlacement {
        /** Right after the mesh setup containers and the mesh proxy, before the other init containers. */
        BEFORE_INIT("before-init"),
        /** After all existing init containers: it still starts after those ran, as it did as a classic sidecar. */
        AFTER_INIT("after-init");

        private final String text;

        DefaultPlacement(String text) {
            this.text = text;
        }

        @JsonValue
        public String text() {
            return text;
        }
    }

    /**
     * A value read from the pod for {@code ${name}} in a profile's probes, hooks and env, from the
     * first of these that has one: the pod annotation; {@code ifNoReadinessProbe} when the sidecar has
     * no readinessProbe; an argument of an init container; else the default. Istio's status port, say,
     * is an annotation when the pod sets it, else what Istio's template rendered into istio-init's
     * arguments, and 0 (no probes at all) when the sidecar has no readinessProbe.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"annotation", "ifNoReadinessProbe", "initContainerArgument", "default"})
    public record Parameter(String annotation, String ifNoReadinessProbe, InitContainerArgument initContainerArgument,
                            @JsonProperty("default") String defaultValue) {
        public Parameter {
            require(defaultValue != null, "default", "required");
        }

        @Override
        @JsonProperty("default")
        public String defaultValue() {
            return defaultValue;
        }
    }

    /**
     * The argument after {@code after} in the first of {@code containers} (init containers) that has
     * one; with {@code lastListItem}, the last item of that comma-separated list.
     */
    @JsonPropertyOrder({"containers", "after", "lastListItem"})
    public record InitContainerArgument(List<String> containers, String after, boolean lastListItem) {
        public InitContainerArgument {
            require(containers != null && !containers.isEmpty(), "containers", "required");
            containers = containerNames(containers, "containers");
            require(after != null && !after.isEmpty(), "after", "required");
        }
    }

    /**
     * A pod annotation in which an injector records its containers as JSON lists {@code containers}
     * and {@code initContainers} (of names, or of objects with a name), e.g. Istio's
     * {@code sidecar.istio.io/status}: a converted sidecar moves from the one to the end of the other.
     *
     * @param name            the annotation
     * @param emptyContainers what an emptied {@code containers} list becomes: {@code asNull} or {@code omit}
     */
    public record RecordAnnotation(String name, EmptyContainers emptyContainers) {
        public RecordAnnotation {
            require(name != null && !name.isBlank(), "name", "required");
            emptyContainers = emptyContainers == null ? EmptyContainers.AS_NULL : emptyContainers;
        }

        /** See {@link RecordAnnotation#emptyContainers()}. */
        public enum EmptyContainers {
            AS_NULL("asNull"), OMIT("omit");

            private final String text;

            EmptyContainers(String text) {
                this.text = text;
            }

            @JsonValue
            public String text() {
                return text;
            }
        }
    }

    /** When a profile's startupProbe is added: only with a readinessProbe (Istio), or only in place of a removed postStart (Linkerd). */
    public enum StartupProbeCondition {
        /** Istio adds its startupProbe together with the readinessProbe, both only when the status port is not 0. */
        READINESS_PROBE("readinessProbe"),
        /** Linkerd adds its startupProbe only with proxy.await, which is what writes the linkerd-await postStart. */
        REMOVED_POST_START("removedPostStart");

        private final String text;

        StartupProbeCondition(String text) {
            this.text = text;
        }

        @JsonValue
        public String text() {
            return text;
        }
    }

    /** A profile that breaks a rule; the message names the field. */
    public static final class InvalidProfile extends IllegalArgumentException {
        InvalidProfile(String message) {
            super(message);
        }
    }
}

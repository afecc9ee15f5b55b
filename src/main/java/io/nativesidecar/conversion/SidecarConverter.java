package io.nativesidecar.conversion;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.nativesidecar.policy.Annotations;
import io.nativesidecar.policy.PodPolicy;
import io.nativesidecar.policy.PodPolicyParser;
import io.nativesidecar.policy.PreStopOverride;
import io.nativesidecar.policy.StartupProbeOverride;
import io.nativesidecar.profile.Configuration;
import io.nativesidecar.profile.SidecarProfile;
import io.nativesidecar.report.ConversionReport;
import io.nativesidecar.report.Finding;
import io.nativesidecar.report.Reason;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The conversion engine: turns a pod's classic sidecars into native sidecars (init containers with
 * {@code restartPolicy: Always}), each as its profile says. Pure and thread-safe; it never modifies
 * its input, and the webhook, the CLI and the tests all go through {@link #convert}.
 */
public final class SidecarConverter {

    /** The API server's default for an unset terminationGracePeriodSeconds. */
    static final long DEFAULT_GRACE_SECONDS = 30;
    /** Room left after a preStop sleep for the app and the sidecar to stop before SIGKILL. */
    static final long GRACE_MARGIN_SECONDS = 5;

    private final Configuration configuration;

    public SidecarConverter(Configuration configuration) {
        this.configuration = configuration;
    }

    public Configuration configuration() {
        return configuration;
    }

    public ConversionResult convert(Pod pod, ClusterFacts cluster) {
        return convert(pod, () -> cluster);
    }

    /**
     * As {@link #convert(Pod, ClusterFacts)}, asking for the cluster facts only when the pod has
     * sidecars to convert: most pods have none, and the facts can cost a scan of the cluster's nodes.
     */
    public ConversionResult convert(Pod pod, Supplier<ClusterFacts> clusterFacts) {
        if (pod == null || pod.getSpec() == null) {
            return unchanged(pod, List.of(Finding.of(Reason.NO_SIDECARS, null, "the pod has no spec")));
        }
        ObjectMeta metadata = pod.getMetadata();
        Map<String, String> annotations = metadata == null ? null : metadata.getAnnotations();
        PodPolicy policy = PodPolicyParser.parse(annotations);
        if (!policy.enabled()) {
            return unchanged(pod, List.of(Finding.of(Reason.OPTED_OUT, null)));
        }
        List<Finding> findings = new ArrayList<>(policy.findings());
        UndoneConversions.Result undone = UndoneConversions.check(annotations, pod.getSpec());
        findings.addAll(undone.findings());
        PodSpec spec = undone.spec();
        SidecarSelector.Selection selection = SidecarSelector.select(spec, annotations, policy, configuration);
        findings.addAll(selection.findings());
        if (selection.sidecars().isEmpty()) {
            if (selection.findings().isEmpty() && undone.findings().isEmpty()) {
                findings.add(Finding.of(Reason.NO_SIDECARS, null));
            }
            return restoredOnly(pod, spec, findings);
        }
        ClusterFacts cluster = clusterFacts.get();
        if (!cluster.nativeSidecarsSupported()) {
            findings.add(Finding.of(Reason.CLUSTER_UNSUPPORTED, null, cluster.unsupportedDetail()));
            return restoredOnly(pod, spec, findings);
        }

        List<InitContainerPlacement.Sidecar> converted = new ArrayList<>();
        Map<Container, String> howConverted = new IdentityHashMap<>(selection.sidecars().size());
        Map<SidecarProfile.RecordAnnotation, List<String>> records = new LinkedHashMap<>();
        long addedSleepSeconds = 0;
        String longestSleeper = null;
        for (SidecarSelector.Sidecar selected : selection.sidecars()) {
            Container sidecar = selected.container();
            SidecarProfile profile = selected.profile();
            String name = sidecar.getName();
            Map<String, String> parameters = PodParameters.of(profile, annotations, sidecar, spec);
            StartupProbeOverride startupOverride = usableStartupProbe(sidecar, policy.startupProbes().get(name), findings);
            PreStopOverride preStopOverride = usablePreStop(sidecar, policy.preStops().get(name), findings);
            String removedPostStart = RemovedPostStart.of(sidecar, profile);
            StartupProbeDefaults.Choice startup = StartupProbeDefaults.choose(sidecar, startupOverride, profile,
                    configuration.startupFailureThreshold(), removedPostStart != null, parameters);
            PreStopDefaults.Choice preStop = PreStopDefaults.choose(sidecar, preStopOverride, profile, cluster, parameters);
            String missing = startup.fromProfile() ? PortReferences.missing(sidecar, startup.probe()) : null;
            if (missing != null) {
                // A startupProbe on a port the container lacks never succeeds: the app would never start.
                findings.add(Finding.of(Reason.PROFILE_PORT_UNKNOWN, name,
                        "startupProbe of profile " + profile.name() + ": no port " + missing));
                startup = new StartupProbeDefaults.Choice(null, "none, the profile's names no port of the container");
            }
            missing = preStop.fromProfile() ? PortReferences.missing(sidecar, preStop.handler()) : null;
            if (missing != null) {
                findings.add(Finding.of(Reason.PROFILE_PORT_UNKNOWN, name,
                        "preStop of profile " + profile.name() + ": no port " + missing));
                preStop = new PreStopDefaults.Choice(null, "none, the profile's names no port of the container", 0);
            }

            Container copy = ShallowCopy.of(sidecar);
            copy.setRestartPolicy("Always");
            copy.setStartupProbe(startup.probe());
            copy.setLifecycle(lifecycle(sidecar.getLifecycle(), preStop.handler(), removedPostStart != null));
            List<String> addedEnv = addEnv(copy, profile, parameters);
            if (preStop.addedSleepSeconds() > addedSleepSeconds) {
                addedSleepSeconds = preStop.addedSleepSeconds();
                longestSleeper = name;
            }
            converted.add(new InitContainerPlacement.Sidecar(copy, policy.placements().get(name), profile));
            howConverted.put(copy, (profile == null ? "" : "profile " + profile.name() + "; ")
                    + "startupProbe " + startup.source() + "; preStop " + preStop.source()
                    + (removedPostStart == null ? "" : "; postStart " + removedPostStart + " removed")
                    + (addedEnv.isEmpty() ? "" : "; env " + String.join(", ", addedEnv) + " added"));
            if (profile != null) {
                // Also for records this pod lacks: a CronJob's job template may have them (see ManifestConverter).
                profile.recordAnnotations().forEach(record -> records.computeIfAbsent(record, r -> new ArrayList<>(1)).add(name));
            }
        }
        List<Container> existingInit = spec.getInitContainers() == null ? List.of() : spec.getInitContainers();
        InitContainerPlacement.Result placement = InitContainerPlacement.place(existingInit, converted, configuration.profiles());
        findings.addAll(placement.findings());

        PodSpec newSpec = ShallowCopy.of(spec);
        newSpec.setContainers(without(spec.getContainers(), selection.sidecars()));
        newSpec.setInitContainers(placement.initContainers());
        long grace = spec.getTerminationGracePeriodSeconds() == null
                ? DEFAULT_GRACE_SECONDS : spec.getTerminationGracePeriodSeconds();
        if (addedSleepSeconds > grace - GRACE_MARGIN_SECONDS) {
            long raised = addedSleepSeconds + GRACE_MARGIN_SECONDS;
            newSpec.setTerminationGracePeriodSeconds(raised);
            findings.add(Finding.of(Reason.GRACE_RAISED, longestSleeper,
                    "preStop sleep " + addedSleepSeconds + "s: " + grace + "s to " + raised + "s"));
        }

        // Reported and recorded in start order, the order a reader of the result sees them in.
        List<String> convertedNames = new ArrayList<>();
        for (Container container : placement.initContainers()) {
            if (howConverted.containsKey(container)) {
                convertedNames.add(container.getName());
                findings.add(Finding.of(Reason.CONVERTED, container.getName(),
                        position(placement.initContainers(), container) + "; " + howConverted.get(container)));
            }
        }

        List<ConversionResult.RecordMove> recordMoves = new ArrayList<>(records.size());
        records.forEach((record, names) -> recordMoves.add(new ConversionResult.RecordMove(record, List.copyOf(names))));
        Pod result = ShallowCopy.of(pod);
        result.setMetadata(annotated(metadata, convertedNames, recordMoves));
        result.setSpec(newSpec);
        return new ConversionResult(pod, result, new ConversionReport(findings), recordMoves);
    }

    /** Adds the profile's env variables that the container does not set; returns their names. */
    private static List<String> addEnv(Container copy, SidecarProfile profile, Map<String, String> parameters) {
        if (profile == null || profile.env().isEmpty()) {
            return List.of();
        }
        List<EnvVar> env = copy.getEnv() == null ? new ArrayList<>() : new ArrayList<>(copy.getEnv());
        List<String> added = new ArrayList<>();
        for (EnvVar variable : profile.env()) {
            if (env.stream().noneMatch(e -> e != null && variable.getName().equals(e.getName()))) {
                env.add(ParameterSubstitution.envVar(variable, parameters));
                added.add(variable.getName());
            }
        }
        if (!added.isEmpty()) {
            copy.setEnv(env);
        }
        return added;
    }

    /** The startup-probe override, unless it names a port the container lacks (then a warning and none). */
    private static StartupProbeOverride usableStartupProbe(Container sidecar, StartupProbeOverride override, List<Finding> findings) {
        Probe probe = override instanceof StartupProbeOverride.Handler handler ? handler.handler()
                : override instanceof StartupProbeOverride.Exact exact ? exact.probe() : null;
        String missing = PortReferences.missing(sidecar, probe);
        if (missing == null) {
            return override;
        }
        findings.add(Finding.of(Reason.INVALID_ANNOTATION, Annotations.STARTUP_PROBE_PREFIX + sidecar.getName(),
                "no port named " + missing + " in the container"));
        return null;
    }

    /** The preStop override, unless it names a port the container lacks (then a warning and none). */
    private static PreStopOverride usablePreStop(Container sidecar, PreStopOverride override, List<Finding> findings) {
        LifecycleHandler handler = override instanceof PreStopOverride.Handler given ? given.handler() : null;
        String missing = PortReferences.missing(sidecar, handler);
        if (missing == null) {
            return override;
        }
        findings.add(Finding.of(Reason.INVALID_ANNOTATION, Annotations.PRE_STOP_PREFIX + sidecar.getName(),
                "no port named " + missing + " in the container"));
        return null;
    }

    private static ConversionResult unchanged(Pod pod, List<Finding> findings) {
        return new ConversionResult(pod, pod, new ConversionReport(findings));
    }

    /** The pod with nothing converted, but with the restartPolicy a later webhook dropped put back, if any was. */
    private static ConversionResult restoredOnly(Pod pod, PodSpec spec, List<Finding> findings) {
        if (spec == pod.getSpec()) {
            return unchanged(pod, findings);
        }
        Pod restored = ShallowCopy.of(pod);
        restored.setSpec(spec);
        return new ConversionResult(pod, restored, new ConversionReport(findings));
    }

    /** A lifecycle with the chosen preStop, sharing the original when nothing changes. */
    private static Lifecycle lifecycle(Lifecycle original, LifecycleHandler preStop, boolean dropPostStart) {
        LifecycleHandler originalPreStop = original == null ? null : original.getPreStop();
        if (preStop == originalPreStop && !dropPostStart) {
            return original;
        }
        Lifecycle lifecycle = original == null ? new Lifecycle() : ShallowCopy.of(original);
        lifecycle.setPreStop(preStop);
        if (dropPostStart) {
            lifecycle.setPostStart(null);
        }
        return lifecycle.equals(new Lifecycle()) ? null : lifecycle;
    }

    private static List<Container> without(List<Container> containers, List<SidecarSelector.Sidecar> removed) {
        Set<Container> gone = Collections.newSetFromMap(new IdentityHashMap<>(removed.size()));
        removed.forEach(sidecar -> gone.add(sidecar.container()));
        List<Container> remaining = new ArrayList<>(containers.size() - removed.size());
        for (Container container : containers) {
            if (!gone.contains(container)) {
                remaining.add(container);
            }
        }
        return remaining;
    }

    private static String position(List<Container> initContainers, Container container) {
        int index = 0;
        while (initContainers.get(index) != container) {
            index++;
        }
        return "initContainers[" + index + "]"
                + (index == 0 ? ", first" : ", after " + initContainers.get(index - 1).getName());
    }

    /** Metadata recording what was converted; the injectors' own records follow their moved sidecars. */
    private static ObjectMeta annotated(ObjectMeta metadata, List<String> convertedNames,
                                        List<ConversionResult.RecordMove> recordMoves) {
        ObjectMeta result = metadata == null ? new ObjectMeta() : ShallowCopy.of(metadata);
        Map<String, String> annotations = new LinkedHashMap<>();
        if (metadata != null && metadata.getAnnotations() != null) {
            annotations.putAll(metadata.getAnnotations());
        }
        Set<String> recorded = new LinkedHashSet<>();
        String previous = annotations.get(Annotations.CONVERTED);
        if (previous != null) {
            for (String name : previous.split(",")) {
                if (!name.isBlank()) {
                    recorded.add(name.trim());
                }
            }
        }
        recorded.addAll(convertedNames);
        annotations.put(Annotations.CONVERTED, String.join(",", recorded));
        for (ConversionResult.RecordMove move : recordMoves) {
            String rewritten = move.rewrite(annotations.get(move.annotation().name()));
            if (rewritten != null) {
                annotations.put(move.annotation().name(), rewritten);
            }
        }
        result.setAnnotations(annotations);
        return result;
    }
}

package io.nativesidecar.scan;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.nativesidecar.cluster.ClusterState;
import io.nativesidecar.cluster.KubernetesVersion;
import io.nativesidecar.cluster.NativeSidecarSupport;
import io.nativesidecar.cluster.NodeFacts;
import io.nativesidecar.conversion.ConversionResult;
import io.nativesidecar.conversion.EffectiveRequests;
import io.nativesidecar.conversion.SidecarConverter;
import io.nativesidecar.policy.Annotations;
import io.nativesidecar.policy.PodPolicyParser;
import io.nativesidecar.profile.SidecarProfile;
import io.nativesidecar.report.Finding;
import io.nativesidecar.report.Reason;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code scan}'s reading of a cluster: every workload (Deployments, StatefulSets, DaemonSets, Jobs,
 * CronJobs, and ReplicaSets, ReplicationControllers and Pods that no other workload owns) with its
 * running pods, each judged by the server's own engine, configuration and cluster facts, and by the
 * installed webhook's view of it. Pods are read page by page and only counted; of the most telling pod
 * of each workload, and of its template, only what the report shows is kept.
 */
final class Scanner {

    private final ClusterReader reader;
    private final SidecarConverter engine;

    Scanner(ClusterReader reader, SidecarConverter engine) {
        this.reader = reader;
        this.engine = engine;
    }

    /**
     * What scan keeps of one pod, a workload's template or its most telling running pod: what the report shows of
     * it, never the pod itself (a cluster of a thousand workloads would otherwise hold three thousand pods).
     *
     * @param sent whether the installed webhook is sent this pod when it is created
     */
    private record Seen(PodInspection.State state, String reason, List<ScanReport.Sidecar> sidecars,
                        ScanReport.Requests requests, boolean sent) {
    }

    /** A workload while the scan goes on: its template, and its running pods counted by state. */
    private static final class Tally {
        final String kind;
        final String namespace;
        final String name;
        Seen template;
        Seen example;
        int total;
        int converted;
        int classic;
        int broken;
        String undone;

        Tally(String kind, String namespace, String name) {
            this.kind = kind;
            this.namespace = namespace;
            this.name = name;
        }

        /** Whether a pod in {@code state} tells more about the workload's sidecars than the example so far. */
        boolean better(PodInspection.State state) {
            return example == null || rank(state) < rank(example.state());
        }

        /** A classic pod tells most, then a blocked, a converted, a broken one. */
        private static int rank(PodInspection.State state) {
            return switch (state) {
                case CONVERTIBLE -> 0;
                case BLOCKED -> 1;
                case CONVERTED -> 2;
                case BROKEN -> 3;
                case NONE -> 4;
            };
        }
    }

    /** Set at the start of {@link #scan()}: what every pod is judged against. */
    private NativeSidecarSupport support;
    private WebhookScope scope;
    private Map<String, Map<String, String>> namespaces;

    ScanReport scan() {
        String apiServerVersion = reader.apiServerVersion();
        ClusterState state = ClusterState.fromApi();
        state.apiServer(KubernetesVersion.parse(apiServerVersion), apiServerVersion);
        Map<String, Integer> kubelets = new TreeMap<>();
        reader.nodes(node -> {
            NodeFacts facts = NodeFacts.of(node);
            state.nodeChanged(facts);
            kubelets.merge(facts.kubeletVersion() == null ? "unknown" : facts.kubeletVersion(), 1, Integer::sum);
        });
        state.nodesSynced(true);
        support = new NativeSidecarSupport(state, true);
        namespaces = reader.namespaces();
        scope = WebhookScope.of(reader.webhookConfigurations());

        Map<String, Tally> tallies = new LinkedHashMap<>();
        // Pods name their ReplicaSet or Job; this says which workload those belong to, by kind, namespace and
        // name (an owner reference's uid would do in a live cluster, but names are what the pod and the table show).
        Map<String, String> owners = new HashMap<>();
        // Templates are judged as they are read, their pods page by page: nothing is held but the tallies.
        reader.deployments(d -> workload(tallies, "Deployment", d, d.getSpec().getTemplate()));
        reader.statefulSets(s -> workload(tallies, "StatefulSet", s, s.getSpec().getTemplate()));
        reader.daemonSets(d -> workload(tallies, "DaemonSet", d, d.getSpec().getTemplate()));
        reader.cronJobs(c -> workload(tallies, "CronJob", c, c.getSpec().getJobTemplate().getSpec().getTemplate()));
        reader.replicationControllers(r -> {
            if (owner(r) == null) {
                workload(tallies, "ReplicationController", r, r.getSpec().getTemplate());
            }
        });
        reader.replicaSets(r -> {
            OwnerReference owner = owner(r);
            if (owner == null) {
                workload(tallies, "ReplicaSet", r, r.getSpec().getTemplate());
            } else {
                owners.put(key("ReplicaSet", r.getMetadata().getNamespace(), r.getMetadata().getName()),
                        key(owner.getKind(), r.getMetadata().getNamespace(), owner.getName()));
            }
        });
        reader.jobs(j -> {
            OwnerReference owner = owner(j);
            if (owner == null) {
                workload(tallies, "Job", j, j.getSpec().getTemplate());
            } else {
                owners.put(key("Job", j.getMetadata().getNamespace(), j.getMetadata().getName()),
                        key(owner.getKind(), j.getMetadata().getNamespace(), owner.getName()));
            }
        });
        reader.pods(pod -> {
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
                return;
            }
            Tally tally = tallyOf(tallies, pod, owners);
            // What matters is what the webhook does when the pod is created again, unscheduled.
            PodInspection inspection = PodInspection.of(pod, engine, support.factsForRecreated(pod.getSpec()));
            tally.total++;
            switch (inspection.state()) {
                case CONVERTED -> tally.converted++;
                case CONVERTIBLE, BLOCKED -> tally.classic++;
                case BROKEN -> {
                    tally.broken++;
                    tally.undone = inspection.reason();
                }
                case NONE -> {
                }
            }
            if (tally.better(inspection.state())) {
                tally.example = seen(pod, tally.namespace, inspection);
                if (tally.kind.equals("Pod")) {
                    // A bare pod is its own template: recreating it is what a restart means.
                    tally.template = tally.example;
                }
            }
        });

        List<ScanReport.Workload> workloads = new ArrayList<>(tallies.size());
        for (Tally tally : tallies.values()) {
            workloads.add(judge(tally));
        }
        workloads.sort(Comparator.comparing(ScanReport.Workload::namespace).thenComparing(ScanReport.Workload::kind)
                .thenComparing(ScanReport.Workload::name));
        Map<Status, Integer> summary = new EnumMap<>(Status.class);
        for (Status status : Status.values()) {
            summary.put(status, 0);
        }
        workloads.forEach(w -> summary.merge(w.status(), 1, Integer::sum));
        return new ScanReport(new ScanReport.Cluster(apiServerVersion, kubelets, scope.installed()), workloads, summary);
    }

    private Seen seen(Pod pod, String namespace, PodInspection inspection) {
        boolean sent = scope.installed() && scope.sees(pod, namespace, namespaces.getOrDefault(namespace, Map.of()));
        return new Seen(inspection.state(), inspection.reason(), sidecars(pod, inspection), requests(pod, inspection), sent);
    }

    private ScanReport.Workload judge(Tally tally) {
        Seen template = tally.template;
        // What the workload's sidecars look like: a running pod's, as injectors add sidecars at creation.
        Seen shown = tally.example != null && tally.example.state() != PodInspection.State.NONE ? tally.example : template;
        boolean convertible = tally.classic > 0 && tally.example.state() == PodInspection.State.CONVERTIBLE
                || template != null && template.state() == PodInspection.State.CONVERTIBLE;
        boolean blocked = tally.classic > 0 || template != null && template.state() == PodInspection.State.BLOCKED;
        Seen created = template != null ? template : tally.example;

        Status status;
        String reason = null;
        if (tally.broken > 0) {
            status = Status.BROKEN;
            reason = "no longer native sidecars in " + tally.broken + " running pod(s): " + tally.undone
                    + " (a mutating webhook that runs later undid the conversion)";
        } else if (template != null && template.state() == PodInspection.State.BROKEN) {
            status = Status.BROKEN;
            reason = "the template names " + template.reason() + " in " + Annotations.CONVERTED
                    + " but they are not init containers with restartPolicy Always";
        } else if (template != null && template.state() == PodInspection.State.CONVERTED) {
            // Converted in the template itself (by convert): new pods get native sidecars, webhook or not.
            if (tally.classic > 0) {
                status = Status.NEEDS_RESTART;
                reason = tally.classic + " of " + tally.total + " running pods predate the converted template";
            } else {
                status = Status.CONVERTED;
            }
        } else if (convertible) {
            if (!scope.installed()) {
                status = Status.NOT_OPTED_IN;
                reason = "the webhook is not installed";
            } else if (!created.sent()) {
                status = Status.NOT_OPTED_IN;
                reason = notSentReason(tally.namespace);
            } else if (tally.classic > 0) {
                status = Status.NEEDS_RESTART;
                reason = tally.classic + " of " + tally.total + " running pods have classic sidecars";
            } else {
                status = Status.CONVERTED;
            }
        } else if (blocked) {
            status = Status.BLOCKED;
            reason = shown == null ? null : shown.reason();
        } else if (tally.converted > 0) {
            status = Status.CONVERTED;
        } else {
            status = Status.NO_SIDECARS;
        }

        return new ScanReport.Workload(tally.kind, tally.namespace, tally.name, status, reason,
                shown == null ? List.of() : shown.sidecars(),
                new ScanReport.Pods(tally.total, tally.converted, tally.classic, tally.broken),
                shown == null ? null : shown.requests());
    }

    /** Why the installed webhook is not sent a namespace's pods, and what would change that. */
    private String notSentReason(String namespace) {
        String label = namespaces.getOrDefault(namespace, Map.of()).get(Annotations.ENABLED);
        if (label == null) {
            return "the webhook is not sent its pods: label namespace " + namespace + " " + Annotations.ENABLED
                    + "=true, or annotate the pods " + Annotations.ENABLED + ": \"true\"";
        }
        if ("true".equals(label)) {
            return "the webhook is not sent its pods although namespace " + namespace + " is labelled "
                    + Annotations.ENABLED + "=true (the installed webhook excludes it)";
        }
        return "the webhook is not sent its pods: namespace " + namespace + " is labelled " + Annotations.ENABLED + "="
                + label;
    }

    /** The sidecars of a pod and what the conversion does, or did, to each. */
    private List<ScanReport.Sidecar> sidecars(Pod pod, PodInspection inspection) {
        List<ScanReport.Sidecar> sidecars = new ArrayList<>();
        Map<String, String> annotations = pod.getMetadata() == null ? null : pod.getMetadata().getAnnotations();
        Map<String, String> assigned = PodPolicyParser.parse(annotations).profiles();
        if (inspection.state() == PodInspection.State.BROKEN) {
            for (String name : inspection.reason().split(",")) {
                sidecars.add(new ScanReport.Sidecar(name, profileOf(pod, name, assigned), "undone",
                        "no longer an init container with restartPolicy Always"));
            }
            return sidecars;
        }
        if (inspection.state() == PodInspection.State.CONVERTED) {
            String converted = annotations == null ? "" : annotations.getOrDefault(Annotations.CONVERTED, "");
            for (String name : converted.split(",")) {
                if (!name.isBlank()) {
                    sidecars.add(new ScanReport.Sidecar(name.trim(), profileOf(pod, name.trim(), assigned), "converted", null));
                }
            }
            return sidecars;
        }
        boolean blocked = inspection.state() == PodInspection.State.BLOCKED;
        for (Finding finding : inspection.result().report().findings()) {
            String outcome = switch (finding.reason()) {
                // A whole pod blocked (opted out, old kubelets): the sidecars it would convert stay classic.
                case CONVERTED -> blocked ? "blocked" : "converts";
                case ALREADY_NATIVE -> "native";
                case LAST_CONTAINER, RESTART_POLICY_SET, EXCLUDED, PROJECT_OPTED_OUT, STANDALONE_PROXY -> "skipped";
                default -> null;
            };
            if (outcome != null && finding.subject() != null) {
                String why = finding.reason() != Reason.CONVERTED ? finding.reason().text() : blocked ? inspection.reason() : null;
                sidecars.add(new ScanReport.Sidecar(finding.subject(), profileOf(pod, finding.subject(), assigned), outcome, why));
            }
        }
        return sidecars;
    }

    private String profileOf(Pod pod, String name, Map<String, String> assigned) {
        if (assigned.containsKey(name)) {
            return assigned.get(name);
        }
        for (List<Container> containers : List.of(listOf(pod.getSpec().getContainers()), listOf(pod.getSpec().getInitContainers()))) {
            for (Container container : containers) {
                if (container != null && name.equals(container.getName())) {
                    SidecarProfile profile = engine.configuration().profiles().match(container);
                    return profile == null ? null : profile.name();
                }
            }
        }
        return null;
    }

    /** The pod's effective requests now, and once its classic sidecars are converted. */
    private static ScanReport.Requests requests(Pod pod, PodInspection inspection) {
        if (pod == null) {
            return null;
        }
        EffectiveRequests before = EffectiveRequests.of(pod.getSpec());
        ConversionResult result = inspection == null ? null : inspection.result();
        EffectiveRequests after = result != null && result.changed() ? EffectiveRequests.of(result.pod().getSpec()) : before;
        return new ScanReport.Requests(resources(before), resources(after));
    }

    private static ScanReport.Resources resources(EffectiveRequests requests) {
        return new ScanReport.Resources(requests.cpuText(), requests.memoryText());
    }

    /** A workload with its pod template; listed items carry no kind, so it is named here. */
    private void workload(Map<String, Tally> tallies, String kind, HasMetadata workload, PodTemplateSpec template) {
        ObjectMeta metadata = workload.getMetadata();
        Tally tally = tallies.computeIfAbsent(key(kind, metadata.getNamespace(), metadata.getName()),
                k -> new Tally(kind, metadata.getNamespace(), metadata.getName()));
        if (template != null) {
            Pod pod = new Pod();
            ObjectMeta podMetadata = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
            podMetadata.setNamespace(metadata.getNamespace());
            pod.setMetadata(podMetadata);
            pod.setSpec(template.getSpec());
            tally.template = seen(pod, metadata.getNamespace(), PodInspection.of(pod, engine, support.factsFor(pod.getSpec())));
        }
    }

    private static Tally tallyOf(Map<String, Tally> tallies, Pod pod, Map<String, String> owners) {
        ObjectMeta metadata = pod.getMetadata();
        OwnerReference owner = owner(pod);
        String key;
        if (owner == null) {
            key = key("Pod", metadata.getNamespace(), metadata.getName());
            return tallies.computeIfAbsent(key, k -> new Tally("Pod", metadata.getNamespace(), metadata.getName()));
        }
        String direct = key(owner.getKind(), metadata.getNamespace(), owner.getName());
        key = owners.getOrDefault(direct, direct);
        String[] parts = key.split("/", 3);
        return tallies.computeIfAbsent(key, k -> new Tally(parts[0], parts[1], parts[2]));
    }

    /** The controlling owner, or null. */
    private static OwnerReference owner(HasMetadata object) {
        List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
        if (owners == null || owners.isEmpty()) {
            return null;
        }
        return owners.stream().filter(o -> Boolean.TRUE.equals(o.getController())).findFirst().orElse(owners.get(0));
    }

    private static String key(String kind, String namespace, String name) {
        return kind + "/" + namespace + "/" + name;
    }

    private static <T> List<T> listOf(List<T> list) {
        return list == null ? List.of() : list;
    }

}

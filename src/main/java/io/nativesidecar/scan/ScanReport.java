package io.nativesidecar.scan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.Map;

/**
 * What {@code scan} found, in the shape its JSON and YAML output have (documented in the README;
 * fields are only ever added).
 */
@JsonPropertyOrder({"cluster", "workloads", "summary"})
public record ScanReport(Cluster cluster, List<Workload> workloads, Map<Status, Integer> summary) {

    /** The cluster's versions and whether the webhook is installed. */
    @JsonPropertyOrder({"apiServerVersion", "kubeletVersions", "webhookInstalled"})
    public record Cluster(String apiServerVersion, Map<String, Integer> kubeletVersions, boolean webhookInstalled) {
    }

    /** One workload and what the webhook does, or would do, to its pods. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"kind", "namespace", "name", "status", "reason", "sidecars", "pods", "effectiveRequests"})
    public record Workload(String kind, String namespace, String name, Status status, String reason,
                           List<Sidecar> sidecars, Pods pods, Requests effectiveRequests) {
    }

    /** A sidecar of the workload: its profile (null: none), what happens to it, and why. */
    @JsonPropertyOrder({"name", "profile", "outcome", "reason"})
    public record Sidecar(String name, String profile, String outcome, String reason) {
    }

    /** The workload's running pods by state. */
    @JsonPropertyOrder({"total", "converted", "classic", "broken"})
    public record Pods(int total, int converted, int classic, int broken) {
    }

    /** A pod's effective CPU and memory request before and after conversion (what the scheduler reserves). */
    @JsonPropertyOrder({"before", "after"})
    public record Requests(Resources before, Resources after) {
    }

    /** CPU like {@code 350m}, memory like {@code 384Mi}. */
    @JsonPropertyOrder({"cpu", "memory"})
    public record Resources(String cpu, String memory) {
    }
}

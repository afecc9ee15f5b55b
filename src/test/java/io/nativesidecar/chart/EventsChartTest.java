package io.nativesidecar.chart;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.nativesidecar.chart.WebhookConfigurationTest.texts;
import static org.assertj.core.api.Assertions.assertThat;

/** Events on workloads: on by default with the least RBAC they need (create events, get replicasets and jobs), off entirely. */
class EventsChartTest {

    @Test
    void onByDefaultWithCreateOnEventsAndGetOnTheOwnersItResolves() {
        RenderedChart chart = RenderedChart.withValues("");

        assertThat(chart.env()).containsEntry("NATIVESIDECAR_EVENTS_ENABLED", "true");
        assertThat(rules(chart)).contains("[core] events: create", "[apps] replicasets: get", "[batch] jobs: get");
        assertThat(rules(chart)).filteredOn(rule -> !rule.contains("nodes")).allSatisfy(rule ->
                assertThat(rule).doesNotContain("list", "watch", "update", "patch", "delete"));
    }

    @Test
    void offItNeedsNoneOfThat() {
        RenderedChart chart = RenderedChart.withValues("events:\n  enabled: false\n");

        assertThat(chart.env()).containsEntry("NATIVESIDECAR_EVENTS_ENABLED", "false");
        assertThat(rules(chart)).containsExactly("[core] nodes: get,list,watch");
    }

    /** Each ClusterRole rule as {@code [group] resources: verbs}. */
    private static List<String> rules(RenderedChart chart) {
        List<String> rules = new ArrayList<>();
        for (JsonNode rule : chart.one("ClusterRole").path("rules")) {
            String group = String.join(",", texts(rule.path("apiGroups")));
            rules.add("[" + (group.isEmpty() ? "core" : group) + "] " + String.join(",", texts(rule.path("resources"))) + ": "
                    + String.join(",", texts(rule.path("verbs"))));
        }
        return rules;
    }
}

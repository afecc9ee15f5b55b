package io.nativesidecar.chart;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Evaluates a Kubernetes label selector (matchLabels AND matchExpressions) the way the API server does. */
final class LabelSelectors {

    private LabelSelectors() {
    }

    static boolean matches(JsonNode selector, Map<String, String> labels) {
        var fields = selector.path("matchLabels").fields();
        while (fields.hasNext()) {
            var label = fields.next();
            if (!label.getValue().asText().equals(labels.get(label.getKey()))) {
                return false;
            }
        }
        for (JsonNode requirement : selector.path("matchExpressions")) {
            String value = labels.get(requirement.path("key").asText());
            List<String> values = new ArrayList<>();
            requirement.path("values").forEach(v -> values.add(v.asText()));
            boolean met = switch (requirement.path("operator").asText()) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new AssertionError("unknown operator in " + requirement);
            };
            if (!met) {
                return false;
            }
        }
        return true;
    }
}

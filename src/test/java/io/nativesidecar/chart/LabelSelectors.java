package io.nativesidecar.chart;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.nativesidecar.scan.LabelSelectorMatch;
import io.nativesidecar.testing.ConversionInvariants;

import java.util.Map;
import java.util.Set;

/** A label selector from rendered YAML, evaluated the way the API server does (by the code scan uses). */
final class LabelSelectors {

    private LabelSelectors() {
    }

    static boolean matches(JsonNode selector, Map<String, String> labels) {
        // A misspelt operator selects nothing, which would let a test of "not selected" pass for the wrong reason.
        for (JsonNode requirement : selector.path("matchExpressions")) {
            String operator = requirement.path("operator").asText();
            if (!Set.of("In", "NotIn", "Exists", "DoesNotExist").contains(operator)) {
                throw new AssertionError("unknown operator in " + requirement);
            }
        }
        return LabelSelectorMatch.matches(ConversionInvariants.JSON.convertValue(selector, LabelSelector.class), labels);
    }
}

package io.nativesidecar.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The chart's README and schema keep up with values.yaml: every value documented and declared. */
class ChartDocumentationTest {

    @Test
    void readmeTableListsEveryValue() throws IOException {
        String readme = Files.readString(RenderedChart.CHART.resolve("README.md"));

        assertThat(leafKeys()).allSatisfy(key -> assertThat(readme).as("README.md row for %s", key).contains("| `" + key + "` |"));
    }

    @Test
    void schemaDeclaresEveryValue() throws IOException {
        JsonNode schema = new ObjectMapper().readTree(RenderedChart.CHART.resolve("values.schema.json").toFile());

        assertThat(leafKeys()).allSatisfy(key -> {
            JsonNode node = schema;
            for (String part : key.split("\\.")) {
                node = node.path("properties").path(part);
            }
            assertThat(node.isMissingNode()).as("values.schema.json declares %s", key).isFalse();
        });
    }

    /** Dotted paths of values.yaml down to scalars, lists and empty or free-form maps. */
    private static List<String> leafKeys() throws IOException {
        JsonNode values = new YAMLMapper().readTree(RenderedChart.CHART.resolve("values.yaml").toFile());
        List<String> keys = new ArrayList<>();
        collect("", values, keys);
        assertThat(keys).hasSizeGreaterThan(40);
        return keys;
    }

    private static void collect(String prefix, JsonNode node, List<String> keys) {
        node.fields().forEachRemaining(field -> {
            String key = prefix + field.getKey();
            JsonNode value = field.getValue();
            boolean freeForm = key.equals("resources") || key.endsWith("SecurityContext") || key.equals("securityContext")
                    || key.endsWith("Selector") || key.endsWith("labels");
            if (value.isObject() && !value.isEmpty() && !freeForm) {
                collect(key + ".", value, keys);
            } else {
                keys.add(key);
            }
        });
    }
}

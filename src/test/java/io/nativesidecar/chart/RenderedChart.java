package io.nativesidecar.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart rendered by Helm (helm-java: Helm's own template engine, schema validation included)
 * for one set of values, as text and as parsed documents.
 */
record RenderedChart(String text, List<JsonNode> documents) {

    static final Path CHART = Path.of("charts/native-sidecar-webhook");
    static final String RELEASE = "native-sidecar-webhook";
    static final String NAMESPACE = "native-sidecar-webhook";
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Map<String, RenderedChart> CACHE = new ConcurrentHashMap<>();

    /** The chart with its default values, as deploy/native-sidecar-webhook.yaml holds it. */
    static RenderedChart defaults() {
        return withValues("");
    }

    /** The chart rendered with these values (YAML, as in a values file given to helm -f). */
    static RenderedChart withValues(String valuesYaml) {
        return CACHE.computeIfAbsent(valuesYaml, RenderedChart::render);
    }

    /** Helm's error for values the chart refuses (schema or required), or a failure when it renders. */
    static String failureFor(String valuesYaml) {
        try {
            render(valuesYaml);
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected the chart to refuse these values:\n" + valuesYaml);
    }

    private static RenderedChart render(String valuesYaml) {
        try {
            TemplateCommand template = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE);
            Path valuesFile = null;
            if (!valuesYaml.isBlank()) {
                valuesFile = Files.createTempFile("chart-values", ".yaml");
                Files.writeString(valuesFile, valuesYaml);
                template.withValuesFile(valuesFile);
            }
            try {
                String text = template.call();
                return new RenderedChart(text, parse(text));
            } finally {
                if (valuesFile != null) {
                    Files.deleteIfExists(valuesFile);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> parse(String yaml) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> iterator = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (iterator.hasNext()) {
                JsonNode document = iterator.next();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    documents.add(document);
                }
            }
        }
        return documents;
    }

    List<JsonNode> all(String kind) {
        return documents.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    /** The one document of this kind; fails when there is none or more than one. */
    JsonNode one(String kind) {
        List<JsonNode> found = all(kind);
        assertThat(found).as("%s documents", kind).hasSize(1);
        return found.get(0);
    }

    JsonNode named(String kind, String name) {
        return all(kind).stream().filter(d -> name.equals(d.path("metadata").path("name").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " in " + kinds()));
    }

    boolean has(String kind) {
        return !all(kind).isEmpty();
    }

    /** kind/name of every document, in order. */
    List<String> kinds() {
        return documents.stream().map(d -> d.path("kind").asText() + "/" + d.path("metadata").path("name").asText()).toList();
    }

    /** The webhook entries of the one MutatingWebhookConfiguration, by name. */
    Map<String, JsonNode> webhooks() {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        one("MutatingWebhookConfiguration").path("webhooks").forEach(w -> byName.put(w.path("name").asText(), w));
        return byName;
    }

    JsonNode container() {
        return one("Deployment").at("/spec/template/spec/containers/0");
    }

    /** The server container's environment as name → value (valueFrom entries map to their fieldPath). */
    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        container().path("env").forEach(e -> env.put(e.path("name").asText(),
                e.has("value") ? e.path("value").asText() : e.at("/valueFrom/fieldRef/fieldPath").asText()));
        return env;
    }
}

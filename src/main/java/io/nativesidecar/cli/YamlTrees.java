package io.nativesidecar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;
import org.yaml.snakeyaml.DumperOptions;

/**
 * Reads one YAML document as kubectl would: anchors, aliases and merge keys resolved, scalars
 * typed by YAML 1.1 rules (Kubernetes' YAML library follows them), but timestamps kept as text,
 * since Kubernetes objects carry them as strings.
 */
final class YamlTrees {

    private static final int MAX_DOCUMENT_CHARS = 64 * 1024 * 1024;

    private YamlTrees() {
    }

    /** The document as a JSON tree; null for an empty document. */
    static JsonNode read(String document) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_DOCUMENT_CHARS);
        Yaml yaml = new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(),
                options, new WithoutTimestamps());
        Object value = yaml.load(document);
        return value == null ? null : ManifestFormat.JSON.valueToTree(value);
    }

    /** YAML 1.1 implicit types, minus timestamps. */
    private static final class WithoutTimestamps extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO");
            addImplicitResolver(Tag.INT, INT, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
            addImplicitResolver(Tag.MERGE, MERGE, "<");
            addImplicitResolver(Tag.NULL, NULL, "~nN\0");
            addImplicitResolver(Tag.NULL, EMPTY, null);
        }
    }
}

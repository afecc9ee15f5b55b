package io.nativesidecar.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads manifest streams (multi-document YAML or concatenated JSON) and writes documents back. */
final class ManifestFormat {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper PRETTY_JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // "15020" must stay a string: unquoted it would read back as a number.
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .build());

    /** A document that cannot be read; {@code document} counts from 1. */
    static final class UnreadableDocument extends Exception {
        final int document;

        UnreadableDocument(int document, String message) {
            super(message);
            this.document = document;
        }
    }

    private ManifestFormat() {
    }

    /** All non-empty documents of one input, in order. */
    static List<JsonNode> read(byte[] input) throws UnreadableDocument {
        boolean json = startsLikeJson(input);
        ObjectMapper mapper = json ? JSON : YAML;
        List<JsonNode> documents = new ArrayList<>();
        int document = 1;
        try (MappingIterator<JsonNode> values = mapper.readerFor(JsonNode.class).readValues(input)) {
            while (values.hasNextValue()) {
                JsonNode node = values.nextValue();
                if (!isEmptyDocument(node)) {
                    if (!node.isObject()) {
                        throw new UnreadableDocument(document, "not a Kubernetes object but a " + node.getNodeType().name().toLowerCase());
                    }
                    documents.add(node);
                }
                document++;
            }
        } catch (JsonProcessingException e) {
            throw new UnreadableDocument(document, (json ? "invalid JSON: " : "invalid YAML: ") + e.getOriginalMessage().lines().findFirst().orElse("")
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()));
        } catch (IOException | RuntimeException e) {
            throw new UnreadableDocument(document, "cannot parse: " + e.getMessage());
        }
        return documents;
    }

    /** A bare {@code ---} or a document of only comments reads as null, missing or an empty string. */
    private static boolean isEmptyDocument(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() || (node.isTextual() && node.asText().isEmpty());
    }

    private static boolean startsLikeJson(byte[] input) {
        for (byte b : input) {
            if (!Character.isWhitespace(b)) {
                return b == '{' || b == '[';
            }
        }
        return false;
    }

    static String yaml(List<JsonNode> documents) throws JsonProcessingException {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < documents.size(); i++) {
            if (i > 0) {
                out.append("---\n");
            }
            out.append(YAML.writeValueAsString(documents.get(i)));
        }
        return out.toString();
    }

    static String json(List<JsonNode> documents) throws JsonProcessingException {
        StringBuilder out = new StringBuilder();
        for (JsonNode document : documents) {
            out.append(PRETTY_JSON.writeValueAsString(document)).append('\n');
        }
        return out.toString();
    }

    static String compactJson(JsonNode node) throws JsonProcessingException {
        return JSON.writeValueAsString(node);
    }
}

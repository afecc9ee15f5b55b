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
            // "15020", "1e6", "on" must stay strings: unquoted they would read back as something else.
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .stringQuotingChecker(new YamlQuoting())
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            // Long commands and JSON annotations stay on one line, as people write them.
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build());

    /** One manifest document and, for YAML input, its original text (written back verbatim when unchanged). */
    record Document(JsonNode node, String text) {
    }

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
    static List<Document> read(byte[] input) throws UnreadableDocument {
        if (startsLikeJson(input)) {
            return readJson(input);
        }
        List<Document> documents = new ArrayList<>();
        List<String> texts = YamlDocuments.split(new String(input, java.nio.charset.StandardCharsets.UTF_8));
        for (int i = 0; i < texts.size(); i++) {
            JsonNode node;
            try {
                node = YamlTrees.read(texts.get(i));
            } catch (org.yaml.snakeyaml.error.MarkedYAMLException e) {
                throw new UnreadableDocument(i + 1, "invalid YAML: " + e.getProblem()
                        + (e.getProblemMark() == null ? "" : " at line " + (e.getProblemMark().getLine() + 1)));
            } catch (RuntimeException e) {
                throw new UnreadableDocument(i + 1, "invalid YAML: " + firstLine(e.getMessage()));
            }
            if (!isEmptyDocument(node)) {
                requireObject(node, i + 1);
                documents.add(new Document(node, texts.get(i)));
            }
        }
        return documents;
    }

    private static List<Document> readJson(byte[] input) throws UnreadableDocument {
        List<Document> documents = new ArrayList<>();
        int document = 1;
        try (MappingIterator<JsonNode> values = JSON.readerFor(JsonNode.class).readValues(input)) {
            while (values.hasNextValue()) {
                JsonNode node = values.nextValue();
                if (!isEmptyDocument(node)) {
                    requireObject(node, document);
                    documents.add(new Document(node, null));
                }
                document++;
            }
        } catch (JsonProcessingException e) {
            throw new UnreadableDocument(document, "invalid JSON: " + firstLine(e.getOriginalMessage())
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()));
        } catch (IOException | RuntimeException e) {
            throw new UnreadableDocument(document, "cannot parse: " + e.getMessage());
        }
        return documents;
    }

    private static void requireObject(JsonNode node, int document) throws UnreadableDocument {
        if (!node.isObject()) {
            throw new UnreadableDocument(document, "not a Kubernetes object but a " + node.getNodeType().name().toLowerCase());
        }
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
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

    /** Documents as a YAML stream; a document with original text that was not changed is written as it was read. */
    static String yaml(List<Document> documents) throws JsonProcessingException {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < documents.size(); i++) {
            if (i > 0) {
                out.append("---\n");
            }
            Document document = documents.get(i);
            out.append(document.text() != null ? YamlDocuments.body(document.text()) : YAML.writeValueAsString(document.node()));
        }
        return out.toString();
    }

    static String json(List<Document> documents) throws JsonProcessingException {
        StringBuilder out = new StringBuilder();
        for (Document document : documents) {
            out.append(PRETTY_JSON.writeValueAsString(document.node())).append('\n');
        }
        return out.toString();
    }

    static String compactJson(JsonNode node) throws JsonProcessingException {
        return JSON.writeValueAsString(node);
    }
}

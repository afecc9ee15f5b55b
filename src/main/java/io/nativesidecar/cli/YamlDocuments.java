package io.nativesidecar.cli;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.events.DocumentEndEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a YAML stream into the text of each document, comments included, so that documents the
 * conversion leaves alone can be written back exactly as they were: a migration then shows only the
 * lines it really changed.
 */
final class YamlDocuments {

    private YamlDocuments() {
    }

    /** The text of each document (with its leading comments and separator line), in order. */
    static List<String> split(String text) throws ManifestFormat.UnreadableDocument {
        List<String> documents = new ArrayList<>();
        ParserImpl parser = new ParserImpl(new StreamReader(text), new LoaderOptions());
        int previousEnd = 0;
        int document = 0;
        try {
            while (parser.peekEvent() != null) {
                Event event = parser.getEvent();
                if (event instanceof DocumentStartEvent) {
                    document++;
                } else if (event instanceof DocumentEndEvent) {
                    int end = Math.max(previousEnd, event.getEndMark().getIndex());
                    documents.add(text.substring(previousEnd, end));
                    previousEnd = end;
                }
            }
        } catch (MarkedYAMLException e) {
            throw new ManifestFormat.UnreadableDocument(Math.max(document, 1), "invalid YAML: " + e.getProblem()
                    + (e.getProblemMark() == null ? "" : " at line " + (e.getProblemMark().getLine() + 1)));
        } catch (RuntimeException e) {
            throw new ManifestFormat.UnreadableDocument(Math.max(document, 1), "invalid YAML: " + e.getMessage());
        }
        return documents;
    }

    /** A document's text without its separator line (leading comments kept), ending in exactly one newline. */
    static String body(String documentText) {
        StringBuilder head = new StringBuilder();
        String rest = documentText;
        while (!rest.isEmpty()) {
            int lineEnd = rest.indexOf('\n');
            String line = lineEnd < 0 ? rest : rest.substring(0, lineEnd + 1);
            String trimmed = line.strip();
            if (trimmed.startsWith("#")) {
                head.append(line);
            } else if (!trimmed.isEmpty() && !trimmed.equals("---") && !trimmed.startsWith("--- ")) {
                break;
            }
            rest = rest.substring(line.length());
        }
        String body = head + rest.stripTrailing();
        if (body.endsWith("\n...") || body.equals("...")) {
            body = body.substring(0, body.length() - 3).stripTrailing();
        }
        return body + "\n";
    }
}

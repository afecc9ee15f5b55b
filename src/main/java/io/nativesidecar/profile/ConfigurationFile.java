package io.nativesidecar.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes the configuration file that the server ({@code NATIVESIDECAR_CONFIG}) and the CLI
 * ({@code --config}) share, and the built-in catalogue, which is a file of the same kind. A file's
 * profiles replace catalogue entries of the same name, in place, or are added before them. Every
 * error names the file, the line and the field.
 */
public final class ConfigurationFile {

    public static final String API_VERSION = "nativesidecar.io/v1alpha1";
    public static final String KIND = "Configuration";
    static final String CATALOGUE = "profiles/catalogue.yaml";

    private static final YAMLMapper YAML = mapper();
    private static final Pattern PATH_STEP = Pattern.compile("([^.\\[]+)|\\[(\\d+)]");
    private static Configuration catalogue;

    /** The file's form; absent keys are null. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"apiVersion", "kind", "sidecars", "startupFailureThreshold", "profiles"})
    record Document(String apiVersion, String kind, List<String> sidecars, Integer startupFailureThreshold,
                    List<SidecarProfile> profiles) {
        Document {
            if (!API_VERSION.equals(apiVersion)) {
                throw new SidecarProfile.InvalidProfile("apiVersion: want " + API_VERSION);
            }
            if (!KIND.equals(kind)) {
                throw new SidecarProfile.InvalidProfile("kind: want " + KIND);
            }
            if (profiles != null && profiles.stream().anyMatch(Objects::isNull)) {
                long index = profiles.stream().takeWhile(Objects::nonNull).count();
                throw new SidecarProfile.InvalidProfile("profiles[" + index + "]: an empty entry");
            }
            if (sidecars != null) {
                for (String name : sidecars) {
                    if (name == null || !SidecarProfile.NAME.matcher(name).matches()) {
                        throw new SidecarProfile.InvalidProfile("sidecars: \"" + name + "\" is not a container name");
                    }
                }
            }
            if (startupFailureThreshold != null && startupFailureThreshold < 1) {
                throw new SidecarProfile.InvalidProfile("startupFailureThreshold: at least 1");
            }
        }
    }

    private ConfigurationFile() {
    }

    /**
     * The built-in catalogue ({@link Configuration#builtIn()}), read once: a second caller waits for
     * the first (the server reads it on its own thread at start, see {@code Main}).
     */
    static synchronized Configuration catalogue() {
        if (catalogue == null) {
            try (InputStream in = ConfigurationFile.class.getClassLoader().getResourceAsStream(CATALOGUE)) {
                if (in == null) {
                    throw new IllegalStateException(CATALOGUE + " is missing from the jar");
                }
                catalogue = over(null, read(CATALOGUE, in.readAllBytes()));
            } catch (IOException | ConfigurationError e) {
                throw new IllegalStateException("the built-in catalogue is broken: " + e.getMessage(), e);
            }
        }
        return catalogue;
    }

    /** The catalogue with {@code file} laid over it. */
    public static Configuration load(Path file) throws ConfigurationError {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigurationError(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigurationError(file + ": cannot read: " + e.getMessage());
        }
        return parse(file.toString(), content);
    }

    /** The catalogue with the configuration in {@code content} (named {@code source} in errors) laid over it. */
    public static Configuration parse(String source, byte[] content) throws ConfigurationError {
        Document document = read(source, content);
        try {
            return over(catalogue(), document);
        } catch (Profiles.Conflict conflict) {
            // Report it where the file says it, at whichever of the two profiles the file wrote.
            List<SidecarProfile> written = document.profiles() == null ? List.of() : document.profiles();
            int index = indexOf(written, conflict.later());
            SidecarProfile other = conflict.earlier();
            if (index < 0) {
                index = indexOf(written, conflict.earlier());
                other = conflict.later();
            }
            String problem = conflict.field().equals("name") ? conflict.claim() + " is given twice"
                    : conflict.claim() + " is also matched by profile " + other.name()
                    + (written.contains(other) ? "" : " of the catalogue (a profile of that name replaces it)");
            throw error(source, content, index < 0 ? "profiles" : "profiles[" + index + "]." + conflict.field(), problem);
        }
    }

    private static int indexOf(List<SidecarProfile> profiles, SidecarProfile wanted) {
        for (int i = 0; i < profiles.size(); i++) {
            if (profiles.get(i) == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** The configuration as a file that {@link #parse} reads back to the same configuration. */
    public static String print(Configuration configuration) {
        Document document = new Document(API_VERSION, KIND, configuration.sidecars(),
                configuration.startupFailureThreshold(), configuration.profiles().all());
        try {
            return YAML.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Configuration over(Configuration base, Document document) {
        Map<String, SidecarProfile> replacing = new LinkedHashMap<>();
        if (document.profiles() != null) {
            for (SidecarProfile profile : document.profiles()) {
                SidecarProfile twice = replacing.putIfAbsent(profile.name(), profile);
                if (twice != null) {
                    throw new Profiles.Conflict("name", "profile name \"" + profile.name() + "\"", twice, profile);
                }
            }
        }
        List<SidecarProfile> inherited = base == null ? List.of() : base.profiles().all();
        List<SidecarProfile> profiles = new ArrayList<>();
        // Profiles new to the catalogue are tried first: a team's own profile wins an image both match.
        for (SidecarProfile profile : replacing.values()) {
            if (inherited.stream().noneMatch(p -> p.name().equals(profile.name()))) {
                profiles.add(profile);
            }
        }
        for (SidecarProfile profile : inherited) {
            profiles.add(replacing.getOrDefault(profile.name(), profile));
        }
        List<String> sidecars = document.sidecars() != null ? document.sidecars()
                : base == null ? List.of() : base.sidecars();
        int threshold = document.startupFailureThreshold() != null ? document.startupFailureThreshold()
                : base == null ? Configuration.DEFAULT_STARTUP_FAILURE_THRESHOLD : base.startupFailureThreshold();
        return new Configuration(sidecars, threshold, new Profiles(profiles));
    }

    private static Document read(String source, byte[] content) throws ConfigurationError {
        Document document;
        try {
            document = YAML.readValue(content, Document.class);
        } catch (JsonMappingException e) {
            throw mappingError(source, content, e);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new ConfigurationError(source + ": " + (line > 0 ? "line " + line + ": " : "") + "not YAML: "
                    + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ConfigurationError(source + ": cannot read: " + e.getMessage());
        }
        if (document == null) {
            throw new ConfigurationError(source + ": empty; want apiVersion " + API_VERSION + ", kind " + KIND);
        }
        return document;
    }

    private static ConfigurationError mappingError(String source, byte[] content, JsonMappingException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.yaml.snakeyaml.error.MarkedYAMLException yaml) {
                return new ConfigurationError(source + ": "
                        + (yaml.getProblemMark() == null ? "" : "line " + (yaml.getProblemMark().getLine() + 1) + ": ")
                        + "not YAML: " + yaml.getProblem()
                        + (yaml.getContext() == null ? "" : " (" + yaml.getContext() + ")"));
            }
        }
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        String problem;
        if (e instanceof UnrecognizedPropertyException) {
            problem = "unknown field";
        } else if (e instanceof ValueInstantiationException && e.getCause() instanceof SidecarProfile.InvalidProfile invalid) {
            String message = invalid.getMessage();
            int colon = message.indexOf(": ");
            path.append(path.length() == 0 ? "" : ".").append(message, 0, colon);
            problem = message.substring(colon + 2);
        } else if (e instanceof ValueInstantiationException && e.getCause() != null) {
            problem = firstLine(e.getCause().getMessage());
        } else if (e.getOriginalMessage() != null && e.getOriginalMessage().contains(": want ")) {
            problem = "\"" + (e instanceof InvalidFormatException format ? format.getValue() : "") + "\": "
                    + e.getOriginalMessage().substring(e.getOriginalMessage().indexOf(": want ") + 2);
        } else if (e instanceof InvalidFormatException format) {
            problem = "\"" + format.getValue() + "\" is not " + typeName(format.getTargetType());
        } else if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null
                && !e.getOriginalMessage().contains("want ")) {
            problem = "want " + typeName(mismatch.getTargetType());
        } else {
            problem = firstLine(e.getOriginalMessage());
            int want = problem.indexOf("want ");
            problem = want >= 0 ? problem.substring(want) : problem;
        }
        return error(source, content, path.toString(), problem);
    }

    private static ConfigurationError error(String source, byte[] content, String path, String problem) {
        int line = lineOf(content, path);
        return new ConfigurationError(source + ": " + (line > 0 ? "line " + line + ": " : "")
                + (path.isEmpty() ? "" : path + ": ") + problem);
    }

    /** The line of the deepest node on {@code path} (1-based), from the YAML's own node tree; 0 when unknown. */
    static int lineOf(byte[] content, String path) {
        Node node;
        try {
            node = new Yaml(new LoaderOptions()).compose(new StringReader(new String(content, StandardCharsets.UTF_8)));
        } catch (RuntimeException unreadable) {
            return 0;
        }
        if (node == null) {
            return 0;
        }
        Node found = node;
        Node keyOfFound = null;
        Matcher step = PATH_STEP.matcher(path);
        while (step.find()) {
            Node next = null;
            Node key = null;
            if (step.group(1) != null && found instanceof MappingNode mapping) {
                for (NodeTuple tuple : mapping.getValue()) {
                    if (tuple.getKeyNode() instanceof ScalarNode scalar && scalar.getValue().equals(step.group(1))) {
                        next = tuple.getValueNode();
                        key = tuple.getKeyNode();
                    }
                }
            } else if (step.group(2) != null && found instanceof SequenceNode sequence) {
                int index = Integer.parseInt(step.group(2));
                next = index < sequence.getValue().size() ? sequence.getValue().get(index) : null;
            }
            if (next == null) {
                break;
            }
            found = next;
            keyOfFound = key;
        }
        Node at = keyOfFound != null ? keyOfFound : found;
        return at.getStartMark().getLine() + 1;
    }

    private static String typeName(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type.isEnum()) {
            List<String> values = new ArrayList<>();
            for (Object constant : type.getEnumConstants()) {
                values.add(constant instanceof SidecarProfile.DefaultPlacement placement ? placement.text()
                        : constant instanceof SidecarProfile.RecordAnnotation.EmptyContainers empty ? empty.text()
                        : constant.toString());
            }
            return "one of " + String.join(", ", values);
        }
        if (Map.class.isAssignableFrom(type) || type.getName().startsWith("io.")) {
            return "a mapping";
        }
        return type.getSimpleName();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.lines().findFirst().orElse("");
        int detail = line.indexOf(" (for ");
        return detail > 0 ? line.substring(0, detail) : line;
    }

    private static YAMLMapper mapper() {
        SimpleModule strict = new SimpleModule("strict-kubernetes-model");
        strict.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription description,
                                                         BeanDeserializerBuilder builder) {
                // The Kubernetes model keeps unknown fields in additionalProperties; in a configuration
                // file an unknown field is a misspelling, and must be reported as one.
                if (description.getBeanClass().getName().startsWith("io.fabric8.kubernetes.api.model.")) {
                    builder.setAnySetter(null);
                }
                return builder;
            }
        });
        YAMLMapper mapper = YAMLMapper.builder(YAMLFactory.builder()
                        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                        .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                        .disable(YAMLGenerator.Feature.SPLIT_LINES)
                        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                        .build())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .addModule(strict)
                .build();
        mapper.setSerializationInclusion(JsonInclude.Include.NON_EMPTY);
        return mapper;
    }
}

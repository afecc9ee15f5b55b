package io.nativesidecar.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.nativesidecar.conversion.ClusterFacts;
import io.nativesidecar.conversion.SidecarConverter;
import io.nativesidecar.profile.Configuration;
import io.nativesidecar.report.Finding;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code convert}: shows offline what the webhook will do to manifests, or migrates them. Applies
 * the server's rules with every pod counted as opted in (it sees no namespace labels).
 */
@Command(name = ConvertCommand.NAME, sortOptions = false,
        description = "Converts classic sidecars in Kubernetes manifests into native sidecars, as the webhook would. "
                + "Reads Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and OpenShift DeploymentConfig "
                + "manifests (multi-document YAML, JSON, kind: List) and writes them converted, in order; other kinds "
                + "pass through unchanged. Every pod counts as opted in unless annotated nativesidecar.io/enabled: \"false\". "
                + "Exit 0 on success, 1 on a bad configuration file, 2 on unreadable input.")
public final class ConvertCommand implements Callable<Integer> {

    public static final String NAME = "convert";
    static final int UNREADABLE_INPUT = 2;

    /** Output forms. */
    enum Output { yaml, json, patch }

    @Option(names = {"-f", "--filename"}, paramLabel = "FILE",
            description = "Manifest file to read; repeatable; - for standard input (the default).")
    List<String> files = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "yaml",
            description = "yaml (default), json, or patch: one RFC 6902 JSON Patch per document and line.")
    Output output;

    @Mixin
    ConfigurationOption config = new ConfigurationOption();

    @Option(names = "--sidecars", split = ",", paramLabel = "NAMES",
            description = "Container names converted in every pod beside those a profile converts by default, "
                    + "replacing the configuration's list (empty by default).")
    List<String> sidecars;

    @Option(names = "--explain",
            description = "Write to stderr, per workload, each container's outcome and the pod's effective requests.")
    boolean explain;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    private final InputStream stdin;
    private final PrintStream stdout;
    private final PrintStream stderr;

    ConvertCommand(InputStream stdin, PrintStream stdout, PrintStream stderr) {
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Runs the command on the process's standard streams and returns the exit code. */
    public static int run(String... args) {
        return run(args, System.in, System.out, System.err);
    }

    public static int run(String[] args, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        CommandLine commandLine = new CommandLine(new ConvertCommand(stdin, stdout, stderr))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(new PrintWriter(stdout, true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(stderr, true, StandardCharsets.UTF_8));
        return commandLine.execute(args);
    }

    /**
     * Builds Jackson's deserializers for the Pod model (a few hundred classes, introspected once per process), so
     * that the first pod read finds them built; Main calls it on a thread of its own while the arguments and the
     * manifests are read.
     */
    public static void prepare() {
        ManifestFormat.JSON.readerFor(Pod.class);
    }

    @Override
    public Integer call() throws JsonProcessingException {
        Configuration configuration = config.load(NAME, stderr);
        if (configuration == null) {
            return ConfigurationOption.BAD_CONFIGURATION;
        }
        if (sidecars != null) {
            configuration = configuration.withSidecars(sidecars.stream().map(String::trim).filter(s -> !s.isEmpty()).toList());
        }
        ManifestConverter converter = new ManifestConverter(new SidecarConverter(configuration), ClusterFacts.CURRENT);
        List<String> sources = files.isEmpty() ? List.of("-") : files;

        // Everything is converted before anything is written: bad input must leave stdout empty.
        List<ManifestFormat.Document> documents = new ArrayList<>();
        List<JsonNode> patches = new ArrayList<>();
        StringBuilder explanation = new StringBuilder();
        for (String source : sources) {
            String name = source.equals("-") ? "<stdin>" : source;
            List<ManifestFormat.Document> read;
            try {
                read = ManifestFormat.read(readAll(source));
            } catch (java.nio.file.NoSuchFileException e) {
                return fail(name + ": no such file");
            } catch (IOException e) {
                return fail(name + ": cannot read: " + e);
            } catch (ManifestFormat.UnreadableDocument e) {
                return fail(name + ": document " + e.document + ": " + e.getMessage());
            }
            for (int i = 0; i < read.size(); i++) {
                ManifestConverter.Converted converted;
                try {
                    converted = converter.convert(read.get(i).node());
                } catch (ManifestConverter.InvalidPod e) {
                    return fail(name + ": document " + (i + 1) + ": " + e.getMessage());
                }
                documents.add(converted.patch().isEmpty() ? read.get(i)
                        : new ManifestFormat.Document(converted.document(), null));
                patches.add(converted.patch());
                converted.pods().forEach(pod -> explain(explanation, pod));
            }
        }
        String text = switch (output) {
            case yaml -> ManifestFormat.yaml(documents);
            case json -> ManifestFormat.json(documents);
            case patch -> patchLines(patches);
        };
        stdout.print(text);
        stdout.flush();
        if (explain) {
            stderr.print(explanation);
            stderr.flush();
        }
        return 0;
    }

    private byte[] readAll(String source) throws IOException {
        return source.equals("-") ? stdin.readAllBytes() : Files.readAllBytes(Path.of(source));
    }

    private int fail(String message) {
        stderr.println("convert: " + message.replace('\n', ' '));
        return UNREADABLE_INPUT;
    }

    private static String patchLines(List<JsonNode> patches) throws JsonProcessingException {
        StringBuilder out = new StringBuilder();
        for (JsonNode patch : patches) {
            out.append(ManifestFormat.compactJson(patch)).append('\n');
        }
        return out.toString();
    }

    private static void explain(StringBuilder out, ManifestConverter.PodReport pod) {
        out.append(pod.workload()).append(":\n");
        if (pod.report() == null) {
            out.append("  has containers, but its kind is not converted: passed through unchanged\n");
            return;
        }
        for (Finding finding : pod.report().findings()) {
            out.append("  ").append(finding.reason().isWarning() ? "warning: " : "").append(finding.message()).append('\n');
        }
        out.append("  effective requests: before ").append(pod.before()).append("; after ").append(pod.after());
        if (pod.after().cpu().compareTo(pod.before().cpu()) > 0 || pod.after().memory().compareTo(pod.before().memory()) > 0) {
            out.append(" (higher: sidecars now also run during init)");
        }
        out.append('\n');
    }
}

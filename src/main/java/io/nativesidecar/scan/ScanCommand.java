package io.nativesidecar.scan;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.nativesidecar.cli.ConfigurationOption;
import io.nativesidecar.conversion.SidecarConverter;
import io.nativesidecar.profile.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code scan}: what a live cluster runs as classic sidecars, why, and what a restart would convert,
 * read-only (gets and lists through the user's kubeconfig or in-cluster credentials).
 */
// A wrong command line exits 1, not picocli's 2: a CI gate must tell it from a cluster it cannot read.
@Command(name = ScanCommand.NAME, sortOptions = false, exitCodeOnInvalidInput = ConfigurationOption.BAD_CONFIGURATION,
        description = "Shows, per workload, whether its sidecars are converted, need a restart, are not opted in, are "
                + "blocked (and why), or were undone by a later webhook; read-only. Exit 0; 1 on a bad command line or configuration file; "
                + "2 when the cluster cannot be reached or read; 3 when a status named in --fail-on is found.")
public final class ScanCommand implements Callable<Integer> {

    public static final String NAME = "scan";
    static final int UNREADABLE_CLUSTER = 2;
    static final int FAIL_ON_FOUND = 3;

    /** Output forms. */
    enum Output { table, json, yaml }

    @Option(names = "--context", paramLabel = "NAME", description = "kubeconfig context to use (default: the current one).")
    String context;

    @ArgGroup(exclusive = true)
    Scope scope = new Scope();

    /** -n NAMESPACE or -A. */
    static final class Scope {
        @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE", description = "Scan this namespace only.")
        String namespace;

        @Option(names = {"-A", "--all-namespaces"}, description = "Scan every namespace (the default).")
        boolean all;
    }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default), json or yaml.")
    Output output;

    @Mixin
    ConfigurationOption config = new ConfigurationOption();

    @Option(names = "--fail-on", split = ",", paramLabel = "STATUS",
            description = "Exit 3 when a workload has one of these statuses (converted, needs-restart, not-opted-in, blocked, "
                    + "broken, no-sidecars): a CI gate.")
    List<String> failOn = new ArrayList<>();

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    private final PrintStream stdout;
    private final PrintStream stderr;
    private final Supplier<KubernetesClient> clients;

    ScanCommand(PrintStream stdout, PrintStream stderr, Supplier<KubernetesClient> clients) {
        this.stdout = stdout;
        this.stderr = stderr;
        this.clients = clients;
    }

    public static int run(String... args) {
        return run(args, System.out, System.err, null);
    }

    /** With {@code client} null, the client comes from the kubeconfig (its --context) or in-cluster credentials. */
    static int run(String[] args, PrintStream stdout, PrintStream stderr, Supplier<KubernetesClient> client) {
        ScanCommand command = new ScanCommand(stdout, stderr, client);
        return new CommandLine(command)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(new PrintWriter(stdout, true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(stderr, true, StandardCharsets.UTF_8))
                .execute(args);
    }

    @Override
    public Integer call() throws Exception {
        Set<Status> failing = EnumSet.noneOf(Status.class);
        try {
            failOn.forEach(status -> failing.add(Status.of(status)));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--fail-on: " + e.getMessage());
        }
        Configuration configuration = config.load(NAME, stderr);
        if (configuration == null) {
            return ConfigurationOption.BAD_CONFIGURATION;
        }
        ScanReport report;
        try (KubernetesClient client = clients != null ? clients.get() : client(context)) {
            ClusterReader.Progress progress = System.console() != null && stderr == System.err
                    ? ClusterReader.Progress.on(stderr) : ClusterReader.Progress.NONE;
            report = new Scanner(new ClusterReader(client, scope.namespace, progress), new SidecarConverter(configuration)).scan();
        } catch (KubernetesClientException e) {
            stderr.println(NAME + ": cannot read the cluster: " + oneLine(e));
            return UNREADABLE_CLUSTER;
        }
        String text = switch (output) {
            case table -> ScanOutput.table(report);
            case json -> ScanOutput.json(report);
            case yaml -> ScanOutput.yaml(report);
        };
        stdout.print(text);
        stdout.flush();
        boolean found = report.workloads().stream().anyMatch(w -> failing.contains(w.status()));
        return found ? FAIL_ON_FOUND : 0;
    }

    private static KubernetesClient client(String context) {
        Config config = new ConfigBuilder(Config.autoConfigure(context))
                .withConnectionTimeout(5_000)
                .withRequestTimeout(30_000)
                .withRequestRetryBackoffLimit(0)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private static String oneLine(KubernetesClientException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message += ": " + cause.getMessage();
        }
        return message.replace('\n', ' ');
    }
}

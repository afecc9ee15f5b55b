package io.nativesidecar.cli;

import io.nativesidecar.profile.Configuration;
import io.nativesidecar.profile.ConfigurationFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * {@code print-config}: the effective configuration (the built-in catalogue with a configuration
 * file laid over it) as a configuration file, to start one from or to check what is in force.
 */
@Command(name = PrintConfigCommand.NAME, sortOptions = false,
        description = "Prints the effective configuration: the built-in sidecar profiles, with a configuration file's "
                + "profiles laid over them, as a configuration file that --config and NATIVESIDECAR_CONFIG read. "
                + "Exit 0, or 1 on a bad configuration file.")
public final class PrintConfigCommand implements Callable<Integer> {

    public static final String NAME = "print-config";

    @Mixin
    ConfigurationOption config = new ConfigurationOption();

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    private final PrintStream stdout;
    private final PrintStream stderr;

    PrintConfigCommand(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public static int run(String... args) {
        return run(args, System.out, System.err);
    }

    public static int run(String[] args, PrintStream stdout, PrintStream stderr) {
        return new CommandLine(new PrintConfigCommand(stdout, stderr))
                .setOut(new PrintWriter(stdout, true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(stderr, true, StandardCharsets.UTF_8))
                .execute(args);
    }

    @Override
    public Integer call() {
        Configuration configuration = config.load(NAME, stderr);
        if (configuration == null) {
            return ConfigurationOption.BAD_CONFIGURATION;
        }
        stdout.print(ConfigurationFile.print(configuration));
        stdout.flush();
        return 0;
    }
}

package io.nativesidecar.cli;

import io.nativesidecar.profile.Configuration;
import io.nativesidecar.profile.ConfigurationError;
import io.nativesidecar.profile.ConfigurationFile;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;

/** {@code --config FILE}, shared by the commands: the configuration file the server reads from NATIVESIDECAR_CONFIG. */
public final class ConfigurationOption {

    public static final int BAD_CONFIGURATION = 1;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (sidecar profiles, sidecars, startupFailureThreshold), as the server's NATIVESIDECAR_CONFIG.")
    Path file;

    /** The catalogue with the file laid over it, or null after one line on stderr when the file cannot be used. */
    public Configuration load(String command, PrintStream stderr) {
        try {
            return file == null ? Configuration.builtIn() : ConfigurationFile.load(file);
        } catch (ConfigurationError e) {
            stderr.println(command + ": " + e.getMessage());
            return null;
        }
    }
}

package io.nativesidecar.profile;

import java.util.List;

/**
 * The effective configuration of the engine: the built-in catalogue with a configuration file's
 * profiles laid over it, the extra sidecar names and the startup failureThreshold.
 *
 * @param sidecars                container names converted in every opted-in pod, beside those a profile converts by default
 * @param startupFailureThreshold failureThreshold of added startupProbes that set none (with periodSeconds 1: seconds to start)
 * @param profiles                the profiles, in the order they are tried
 */
public record Configuration(List<String> sidecars, int startupFailureThreshold, Profiles profiles) {

    public static final int DEFAULT_STARTUP_FAILURE_THRESHOLD = 600;

    public Configuration {
        sidecars = List.copyOf(sidecars);
        if (startupFailureThreshold < 1) {
            throw new IllegalArgumentException("startupFailureThreshold must be at least 1");
        }
    }

    /** The built-in catalogue alone. */
    public static Configuration builtIn() {
        return ConfigurationFile.catalogue();
    }

    public Configuration withSidecars(List<String> names) {
        return new Configuration(names, startupFailureThreshold, profiles);
    }

    public Configuration withStartupFailureThreshold(int threshold) {
        return new Configuration(sidecars, threshold, profiles);
    }
}

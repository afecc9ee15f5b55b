package io.nativesidecar.profile;

/** A configuration file that cannot be used; the message names the file, the line and the field. */
public final class ConfigurationError extends Exception {

    public ConfigurationError(String message) {
        super(message, null, false, false);
    }
}

package io.nativesidecar.scan;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** What {@code scan} says of a workload. */
public enum Status {
    /** The webhook converts it, and its running pods are converted. */
    CONVERTED,
    /** The webhook would convert it, but its running pods are classic: a restart converts them. */
    NEEDS_RESTART,
    /** It has sidecars the webhook would convert, but the webhook is not sent its pods. */
    NOT_OPTED_IN,
    /** It has sidecars, but the conversion skips them (the reason says why). */
    BLOCKED,
    /** A running pod's converted sidecar is no longer a native sidecar: a later webhook undid it. */
    BROKEN,
    /** No sidecar the webhook would convert. */
    NO_SIDECARS;

    /** As written on the command line and in output, e.g. {@code needs-restart}. */
    @JsonValue
    public String text() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Status of(String text) {
        for (Status status : values()) {
            if (status.text().equals(text.trim())) {
                return status;
            }
        }
        throw new IllegalArgumentException("\"" + text + "\" is not a status (converted, needs-restart, not-opted-in, "
                + "blocked, broken, no-sidecars)");
    }
}

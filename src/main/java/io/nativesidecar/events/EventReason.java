package io.nativesidecar.events;

/** The reasons of the Events recorded on workloads, as {@code kubectl describe} shows them. */
enum EventReason {
    /** Sidecars of a new pod were converted (which ones, in the message). */
    CONVERTED("SidecarsConverted", "Normal"),
    /** A new pod has sidecars the conversion skipped, or the conversion failed (the reasons, in the message). */
    NOT_CONVERTED("SidecarsNotConverted", "Warning"),
    /** A new pod's nativesidecar.io annotations could not all be applied (which, in the message). */
    ANNOTATION_IGNORED("SidecarAnnotationIgnored", "Warning"),
    /** A new pod arrived with a conversion a later mutating webhook undid. */
    UNDONE("SidecarConversionUndone", "Warning");

    private final String reason;
    private final String type;

    EventReason(String reason, String type) {
        this.reason = reason;
        this.type = type;
    }

    String reason() {
        return reason;
    }

    String type() {
        return type;
    }
}

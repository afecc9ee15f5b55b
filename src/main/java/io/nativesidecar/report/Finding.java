package io.nativesidecar.report;

/**
 * One thing the engine has to say about a pod: a reason, what it is about (a container name or an
 * annotation key) and an optional detail.
 */
public record Finding(Reason reason, String subject, String detail) {

    public static Finding of(Reason reason, String subject) {
        return new Finding(reason, subject, null);
    }

    public static Finding of(Reason reason, String subject, String detail) {
        return new Finding(reason, subject, detail);
    }

    /** A one-line message such as {@code log-shipper: not converted, it is the pod's last regular container}. */
    public String message() {
        StringBuilder message = new StringBuilder();
        if (subject != null && !subject.isEmpty()) {
            message.append(subject).append(": ");
        }
        message.append(reason.text());
        if (detail != null && !detail.isEmpty()) {
            message.append(" (").append(detail).append(')');
        }
        return message.toString();
    }
}

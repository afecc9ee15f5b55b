package io.nativesidecar.admission;

/** A request body that is not an AdmissionReview we can answer: the client gets HTTP 400 with this message. */
public final class BadReview extends Exception {

    public BadReview(String message) {
        super(message, null, false, false);
    }
}

package io.nativesidecar.admission;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * {@code POST /mutate}: the endpoint the API server calls for every pod created in an opted-in
 * namespace. It runs on the I/O thread: the work is a few hundred microseconds of CPU for a usual
 * pod (1.5–5 ms for a 1 MiB one), and a thread hop would cost more than it; bodies up to the 6 MiB
 * limit are kept in memory ({@code quarkus.rest.input-buffer-size}) so that they stay there too. The body size limit ({@code quarkus.http.limits.max-body-size})
 * is enforced while the body is read; a wrong content type is a 415 before this method runs.
 */
@Path("/mutate")
public class MutateResource {

    private final PodAdmission admission;
    private final AdmissionMetrics metrics;
    private final AdmissionReviewReader reader = new AdmissionReviewReader(AdmissionJson.MAPPER);
    private final AdmissionReviewWriter writer = new AdmissionReviewWriter();

    /** The answer to a body: the AdmissionReview bytes, or why the body is not a review (then {@code review} is null). */
    public record Answer(byte[] review, String error) {
    }

    public MutateResource(PodAdmission admission, AdmissionMetrics metrics) {
        this.admission = admission;
        this.metrics = metrics;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @NonBlocking
    public Response mutate(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) {
        if (contentType == null || contentType.isBlank()) {
            // JAX-RS would take a body without a type for JSON; the contract asks for JSON explicitly.
            return ErrorBody.response(Response.Status.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
        }
        // The body is already in memory (quarkus.rest.input-buffer-size): a stream over it, read in place.
        // Anything else (not expected below the 6 MiB limit) is read whole first; a client that breaks
        // off while it is read gets a 400, not a 500.
        Answer answer;
        if (body instanceof ByteArrayInputStream inMemory) {
            answer = answer(inMemory);
        } else {
            try {
                answer = answer(body.readAllBytes());
            } catch (IOException e) {
                metrics.record(Outcome.BAD_REQUEST, 0);
                return ErrorBody.response(Response.Status.BAD_REQUEST, "the body could not be read: " + e.getMessage());
            }
        }
        return answer.review() != null
                ? Response.ok(answer.review(), MediaType.APPLICATION_JSON_TYPE).build()
                : ErrorBody.response(Response.Status.BAD_REQUEST, answer.error());
    }

    /** The whole path from request bytes to response bytes, without HTTP (also what the benchmarks measure). */
    public Answer answer(byte[] body) {
        return answer(new ByteArrayInputStream(body));
    }

    private Answer answer(ByteArrayInputStream body) {
        long start = System.nanoTime();
        AdmissionRequest request;
        try {
            request = reader.read(body);
        } catch (BadReview bad) {
            metrics.record(Outcome.BAD_REQUEST, System.nanoTime() - start);
            return new Answer(null, bad.getMessage());
        }
        PodAdmission.Decision decision = admission.decide(request);
        byte[] answer = writer.write(decision.answer());
        metrics.record(decision.outcome(), System.nanoTime() - start);
        return new Answer(answer, null);
    }
}

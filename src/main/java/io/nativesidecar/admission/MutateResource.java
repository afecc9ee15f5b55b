package io.nativesidecar.admission;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /mutate}: the endpoint the API server calls for every pod created in an opted-in
 * namespace. It runs on the I/O thread: the work is a few hundred microseconds of CPU, and a
 * thread hop would cost more than it. The body size limit ({@code quarkus.http.limits.max-body-size})
 * is enforced while the body is read; a wrong content type is a 415 before this method runs.
 */
@Path("/mutate")
public class MutateResource {

    private final PodAdmission admission;
    private final AdmissionMetrics metrics;
    private final AdmissionReviewReader reader = new AdmissionReviewReader(new ObjectMapper());
    private final AdmissionReviewWriter writer = new AdmissionReviewWriter();

    public MutateResource(PodAdmission admission, AdmissionMetrics metrics) {
        this.admission = admission;
        this.metrics = metrics;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @NonBlocking
    public Response mutate(byte[] body) {
        long start = System.nanoTime();
        AdmissionRequest request;
        try {
            request = reader.read(body);
        } catch (BadReview bad) {
            metrics.record(Outcome.BAD_REQUEST, System.nanoTime() - start);
            return ErrorBody.response(Response.Status.BAD_REQUEST, bad.getMessage());
        }
        PodAdmission.Decision decision = admission.decide(request);
        byte[] answer = writer.write(decision.answer());
        metrics.record(decision.outcome(), System.nanoTime() - start);
        return Response.ok(answer, MediaType.APPLICATION_JSON_TYPE).build();
    }
}

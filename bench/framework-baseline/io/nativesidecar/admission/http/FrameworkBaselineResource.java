package io.nativesidecar.admission.http;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.javaoperatorsdk.webhook.admission.AdmissionController;
import io.nativesidecar.admission.CurrentEngine;
import io.nativesidecar.cluster.ClusterFactsSource;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The benchmark's baseline server, never in the product: the same conversion behind the
 * kubernetes-webhooks-framework's default path (AdmissionReview bound by Jackson, the pod cloned
 * through JSON, a Mutator, a JSON diff), as a project following the framework's samples would
 * serve it. Built only by the Maven profile {@code framework-baseline} (see bench/README.md).
 */
@Path("/framework/mutate")
public class FrameworkBaselineResource {

    private final AdmissionController<Pod> controller;

    public FrameworkBaselineResource(CurrentEngine engine, ClusterFactsSource cluster) {
        this.controller = new AdmissionController<Pod>((pod, operation) -> engine.get().convert(pod, cluster.factsFor(pod)).pod());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public AdmissionReview mutate(AdmissionReview review) {
        return controller.handle(review);
    }
}

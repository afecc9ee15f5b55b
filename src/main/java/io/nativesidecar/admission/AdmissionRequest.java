package io.nativesidecar.admission;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * The parts of an AdmissionReview request that the webhook uses.
 *
 * @param apiVersion the review's apiVersion, echoed in the answer
 * @param pod        the object as a Pod, or null when it could not be read as one
 * @param podProblem why the object could not be read as a Pod (null when it could)
 */
public record AdmissionRequest(
        String apiVersion,
        String uid,
        String group,
        String kind,
        String operation,
        boolean dryRun,
        String namespace,
        String name,
        Pod pod,
        String podProblem) {

    /** Only pod creation is converted; everything else is allowed as it is. */
    public boolean isPodCreate() {
        return "Pod".equals(kind) && (group == null || group.isEmpty()) && "CREATE".equals(operation);
    }

    /** {@code namespace/name}, or the generateName prefix, for logs. */
    public String podRef() {
        String podName = name;
        if ((podName == null || podName.isEmpty()) && pod != null && pod.getMetadata() != null) {
            podName = pod.getMetadata().getName() != null ? pod.getMetadata().getName()
                    : pod.getMetadata().getGenerateName() + "*";
        }
        return (namespace == null ? "" : namespace + "/") + (podName == null ? "(unnamed)" : podName);
    }
}

package io.nativesidecar.events;

/**
 * One event as the admission path hands it over: a few strings, never the pod (a queue of them must stay
 * small whatever the pods weigh).
 *
 * @param owner the pod's controller, as its ownerReference names it (a ReplicaSet or Job is resolved later)
 */
record PendingEvent(String namespace, Owner owner, EventReason reason, String message) {

    /** A workload an event is about: what an Event's involvedObject needs. */
    record Owner(String apiVersion, String kind, String name, String uid) {
    }
}

package io.nativesidecar.admission.http;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * How many bytes of review bodies the server holds at once, over all connections. A body is admitted when its
 * announced length fits beside those already held; otherwise its reading waits, first come first served, until
 * enough is released. One body alone is always admitted, however large, so that nothing waits for a release
 * that cannot come.
 * <p>
 * Why: a review's heap is several times its body (the body, then the pod read from it), and what a pod may
 * use is its memory limit whatever the API server sends at once. Bounding the bytes, not the requests, lets
 * many usual pods through together and holds back only the rare large ones.
 */
final class BodyBudget {

    /** A body that waits: its bytes, and what admits it (run by whoever releases enough, on that thread). */
    private record Waiting(long bytes, Runnable admit) {
    }

    private final long limit;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private long held;

    BodyBudget(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("the budget must be positive, not " + limit);
        }
        this.limit = limit;
    }

    /**
     * Takes {@code bytes} now and returns true, or, when they do not fit (or others wait already), queues
     * {@code admit} to run once they are taken, and returns false.
     */
    synchronized boolean admit(long bytes, Runnable admit) {
        if (waiting.isEmpty() && fits(bytes)) {
            held += bytes;
            return true;
        }
        waiting.add(new Waiting(bytes, admit));
        return false;
    }

    /** Takes more bytes for a body already admitted (one whose length was not announced); it never waits. */
    synchronized void grow(long bytes) {
        held += bytes;
    }

    /** Gives bytes back, and admits those waiting that now fit, in their order. */
    void release(long bytes) {
        List<Runnable> admitted;
        synchronized (this) {
            held -= bytes;
            admitted = admitWaiting();
        }
        admitted.forEach(Runnable::run);
    }

    /**
     * Takes a body out of the queue (its client went away, or it waited too long) and admits those behind it
     * that now fit; false when it was admitted meanwhile, and then its bytes are held until released.
     */
    boolean withdraw(Runnable admit) {
        List<Runnable> admitted;
        boolean withdrawn;
        synchronized (this) {
            withdrawn = waiting.removeIf(w -> w.admit() == admit);
            admitted = admitWaiting();
        }
        admitted.forEach(Runnable::run);
        return withdrawn;
    }

    private List<Runnable> admitWaiting() {
        List<Runnable> admitted = new ArrayList<>();
        while (!waiting.isEmpty() && fits(waiting.peek().bytes())) {
            Waiting next = waiting.poll();
            held += next.bytes();
            admitted.add(next.admit());
        }
        return admitted;
    }

    synchronized long held() {
        return held;
    }

    private boolean fits(long bytes) {
        return held == 0 || held + bytes <= limit;
    }
}

package io.nativesidecar.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nativesidecar.admission.AdmissionRequest;
import io.nativesidecar.admission.Outcome;
import io.nativesidecar.config.WebhookConfig;
import io.nativesidecar.conversion.ConversionResult;
import io.nativesidecar.report.Finding;
import io.nativesidecar.report.Reason;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Kubernetes Events on the workload that owns a converted or skipped pod, where {@code kubectl describe
 * deployment} shows them: admission warnings for a Deployment's pods reach the ReplicaSet controller, not a
 * person. A ReplicaSet is resolved to its Deployment, a Job to its CronJob (to whatever controls them).
 *
 * <p>Off the request path: the admission path only offers a few strings to a bounded queue and never waits;
 * one thread sends. The same owner, reason and message is recorded once per aggregation window: the next
 * event after the window carries the count of those held back ({@code count}, {@code firstTimestamp}). An
 * event is dropped, and counted, when the queue is full (the API is slow or down) or the API refuses it.
 * Nothing is recorded for dry runs, for pods without a controller (whoever created them saw the warnings), or
 * before {@link #start} (no API access, or turned off).
 */
@ApplicationScoped
public class WorkloadEvents {

    private static final Logger LOG = Logger.getLogger(WorkloadEvents.class);
    static final String COMPONENT = "native-sidecar-webhook";
    /** events.k8s.io caps a note at 1 kB; core Events are shown in the same columns. */
    static final int MAX_MESSAGE = 1024;
    /** Owner, reason and message combinations remembered for aggregation (least recently used go first). */
    static final int REMEMBERED = 4096;
    private static final Duration WARN_EVERY = Duration.ofMinutes(5);
    private static final String[] RESULTS = {"sent", "aggregated", "dropped_queue_full", "dropped_api_error"};

    private final boolean enabled;
    private final int queueSize;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Counter> results = new LinkedHashMap<>();
    private final Map<String, Recent> recent = lru();
    private final Map<String, Resolved> owners = lru();
    private final AtomicLong sequence = new AtomicLong();
    private final String instance = System.getenv().getOrDefault("HOSTNAME", COMPONENT);
    private volatile BlockingQueue<PendingEvent> queue;
    private KubernetesClient client;
    private Thread sender;
    private Instant lastWarning = Instant.MIN;

    /** The last event sent for an owner, reason and message, and those held back since. */
    private static final class Recent {
        final Instant sent;
        int held;
        Instant firstHeld;

        Recent(Instant sent) {
            this.sent = sent;
        }
    }

    /** What a ReplicaSet or Job resolved to, and until when that is trusted. */
    private record Resolved(PendingEvent.Owner owner, Instant until) {
    }

    @Inject
    public WorkloadEvents(MeterRegistry registry, WebhookConfig config) {
        this(registry, config.events().enabled(), config.events().queueSize(), config.events().aggregationWindow(),
                Clock.systemUTC());
    }

    WorkloadEvents(MeterRegistry registry, boolean enabled, int queueSize, Duration window, Clock clock) {
        this.enabled = enabled;
        this.queueSize = queueSize;
        this.window = window;
        this.clock = clock;
        for (String result : RESULTS) {
            results.put(result, Counter.builder("nativesidecar.events")
                    .description("Kubernetes Events on workloads: sent, aggregated (held back within the window), dropped")
                    .tag("result", result).register(registry));
        }
    }

    /** Never records: for admission paths outside the server (the warm-up, benchmarks). */
    public static WorkloadEvents disabled() {
        return new WorkloadEvents(new SimpleMeterRegistry(), false, 1, Duration.ZERO, Clock.systemUTC());
    }

    /**
     * Starts recording through {@code api}, when enabled: the server's own client (and its timeouts,
     * {@code quarkus.kubernetes-client.request-timeout}), so no second HTTP client and event loop are made.
     */
    public synchronized void start(KubernetesClient api) {
        if (!enabled || queue != null) {
            return;
        }
        open(api);
        sender = new Thread(this::send, "nativesidecar-events");
        sender.setDaemon(true);
        sender.start();
        LOG.infof("Recording Events on the workloads of converted and skipped pods (once per %s per owner and reason)", window);
    }

    /** The queue and client without the sending thread: tests drain it themselves. */
    void open(KubernetesClient api) {
        client = api;
        queue = new ArrayBlockingQueue<>(queueSize);
    }

    void stop(@Observes ShutdownEvent stopping) {
        Thread running;
        synchronized (this) {
            running = sender;
            sender = null;
        }
        if (running != null) {
            running.interrupt();
        }
    }

    /** The findings that leave a sidecar classic; other warnings of an unchanged pod are about its annotations. */
    private static final Set<Reason> SKIPPED = EnumSet.of(Reason.CLUSTER_UNSUPPORTED, Reason.LAST_CONTAINER,
            Reason.RESTART_POLICY_SET);

    /**
     * After a pod's admission, on the request's thread: queues the event for its owner, if there is one to record.
     * Never throws: an Event is a courtesy, and the admission answer must not depend on it.
     */
    public void record(AdmissionRequest request, ConversionResult result, Outcome outcome) {
        try {
            enqueue(request, result, outcome);
        } catch (RuntimeException e) {
            LOG.warn("Queuing an Event failed", e);
        }
    }

    /** After a conversion that failed (the pod was admitted unchanged), on the request's thread. Never throws. */
    public void recordFailure(AdmissionRequest request, String message) {
        try {
            BlockingQueue<PendingEvent> pending = queue;
            PendingEvent.Owner owner = pending == null || request.dryRun() ? null : controller(request.pod());
            if (owner != null) {
                offer(pending, new PendingEvent(request.namespace(), owner, EventReason.NOT_CONVERTED,
                        "Sidecars left classic: " + message));
            }
        } catch (RuntimeException e) {
            LOG.warn("Queuing an Event failed", e);
        }
    }

    private void enqueue(AdmissionRequest request, ConversionResult result, Outcome outcome) {
        BlockingQueue<PendingEvent> pending = queue;
        if (pending == null || request.dryRun()) {
            return;
        }
        List<Finding> warnings = result.report().warnings();
        EventReason reason = switch (outcome) {
            case CONVERTED -> EventReason.CONVERTED;
            case BROKEN -> EventReason.UNDONE;
            case UNSUPPORTED -> EventReason.NOT_CONVERTED;
            case UNCHANGED -> warnings.isEmpty() ? null
                    : warnings.stream().anyMatch(f -> SKIPPED.contains(f.reason())) ? EventReason.NOT_CONVERTED
                    : EventReason.ANNOTATION_IGNORED;
            default -> null;
        };
        PendingEvent.Owner owner = reason == null ? null : controller(request.pod());
        if (owner == null) {
            return;
        }
        String problems = warnings.stream().map(Finding::message).collect(Collectors.joining("; "));
        String message = switch (reason) {
            case CONVERTED -> "Converted " + String.join(", ", result.report().converted()) + " to native sidecars"
                    + (problems.isEmpty() ? "" : "; " + problems);
            case NOT_CONVERTED -> "Sidecars left classic: " + problems;
            case ANNOTATION_IGNORED -> "Nothing converted; " + problems;
            case UNDONE -> "A later mutating webhook undid the conversion: " + problems;
        };
        offer(pending, new PendingEvent(request.namespace(), owner, reason, message));
    }

    private void offer(BlockingQueue<PendingEvent> pending, PendingEvent event) {
        if (!pending.offer(event)) {
            results.get("dropped_queue_full").increment();
        }
    }

    private static PendingEvent.Owner controller(Pod pod) {
        return pod == null ? null : controller(pod.getMetadata());
    }

    private static PendingEvent.Owner controller(ObjectMeta metadata) {
        if (metadata == null || metadata.getOwnerReferences() == null) {
            return null;
        }
        for (OwnerReference reference : metadata.getOwnerReferences()) {
            if (Boolean.TRUE.equals(reference.getController()) && reference.getKind() != null && reference.getName() != null) {
                return new PendingEvent.Owner(reference.getApiVersion(), reference.getKind(), reference.getName(), reference.getUid());
            }
        }
        return null;
    }

    private void send() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                process(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warn("Recording an Event failed", e);
            }
        }
    }

    /** Sends what is queued, on the caller's thread (tests). */
    void drain() {
        PendingEvent event;
        while ((event = queue.poll()) != null) {
            process(event);
        }
    }

    private void process(PendingEvent event) {
        PendingEvent.Owner owner = resolve(event.namespace(), event.owner());
        String key = event.namespace() + "/" + owner.kind() + "/" + owner.name() + "\n" + event.reason() + "\n" + event.message();
        Instant now = clock.instant();
        Recent last = recent.get(key);
        if (last != null && now.isBefore(last.sent.plus(window))) {
            if (last.held++ == 0) {
                last.firstHeld = now;
            }
            results.get("aggregated").increment();
            return;
        }
        int count = last == null ? 1 : last.held + 1;
        Instant first = last == null || last.held == 0 ? now : last.firstHeld;
        try {
            client.v1().events().inNamespace(event.namespace()).resource(event(event, owner, count, first, now)).create();
            recent.put(key, new Recent(now));
            results.get("sent").increment();
        } catch (KubernetesClientException e) {
            results.get("dropped_api_error").increment();
            if (now.isAfter(lastWarning.plus(WARN_EVERY))) {
                lastWarning = now;
                LOG.warnf("Cannot record Events (%s); dropped and counted in nativesidecar_events_total{result=\"dropped_api_error\"}, "
                        + "next warning in %s at the earliest", e.getMessage(), WARN_EVERY);
            }
        }
    }

    private Event event(PendingEvent event, PendingEvent.Owner owner, int count, Instant first, Instant now) {
        String message = event.message().length() <= MAX_MESSAGE ? event.message()
                : event.message().substring(0, MAX_MESSAGE - 3) + "...";
        // Named as client-go's recorder names them: the object's name and a unique hexadecimal suffix.
        String prefix = owner.name().length() > 236 ? owner.name().substring(0, 236) : owner.name();
        long unique = now.getEpochSecond() * 1_000_000_000L + now.getNano() + sequence.getAndIncrement();
        return new EventBuilder()
                .withNewMetadata().withName(prefix + "." + Long.toHexString(unique)).withNamespace(event.namespace()).endMetadata()
                .withNewInvolvedObject().withApiVersion(owner.apiVersion()).withKind(owner.kind()).withName(owner.name())
                .withNamespace(event.namespace()).withUid(owner.uid()).endInvolvedObject()
                .withReason(event.reason().reason()).withType(event.reason().type()).withMessage(message)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT).withReportingInstance(instance)
                .withFirstTimestamp(timestamp(first)).withLastTimestamp(timestamp(now)).withCount(count)
                .build();
    }

    private static String timestamp(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** A ReplicaSet's or Job's own controller (a Deployment, a CronJob), read once per window; otherwise the owner itself. */
    private PendingEvent.Owner resolve(String namespace, PendingEvent.Owner owner) {
        boolean replicaSet = owner.kind().equals("ReplicaSet");
        if (!replicaSet && !owner.kind().equals("Job")) {
            return owner;
        }
        String key = namespace + "/" + owner.kind() + "/" + owner.name() + "/" + owner.uid();
        Instant now = clock.instant();
        Resolved known = owners.get(key);
        if (known != null && now.isBefore(known.until())) {
            return known.owner();
        }
        PendingEvent.Owner resolved = owner;
        try {
            HasMetadata object = replicaSet
                    ? client.apps().replicaSets().inNamespace(namespace).withName(owner.name()).get()
                    : client.batch().v1().jobs().inNamespace(namespace).withName(owner.name()).get();
            PendingEvent.Owner controller = object == null ? null : controller(object.getMetadata());
            if (controller != null) {
                resolved = controller;
            }
        } catch (KubernetesClientException e) {
            LOG.debugf("Cannot read %s %s/%s to find its owner: %s", owner.kind(), namespace, owner.name(), e.getMessage());
            return owner;
        }
        owners.put(key, new Resolved(resolved, now.plus(window)));
        return resolved;
    }

    /** What each result was counted so far (tests). */
    double count(String result) {
        return results.get(result).count();
    }

    private static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > REMEMBERED;
            }
        };
    }
}

package io.nativesidecar.admission;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.nativesidecar.config.WebhookConfig;
import io.nativesidecar.profile.Configuration;
import io.nativesidecar.profile.SidecarProfile;
import io.nativesidecar.report.ConversionReport;
import io.nativesidecar.report.Finding;
import io.nativesidecar.report.Reason;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The webhook's Prometheus metrics. Every counter exists from the start (at zero), so alerts on
 * rates work before the first failure; container names are user input, so their label is capped.
 */
@ApplicationScoped
public class AdmissionMetrics {

    /** Latency buckets from 100 µs to 1 s: a conversion takes well under a millisecond, the API server waits seconds. */
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
        Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1)};
    static final String OTHER_CONTAINER = "other";

    private final MeterRegistry registry;
    private final int maxContainerLabels;
    private final Map<Outcome, Counter> admissions = new EnumMap<>(Outcome.class);
    private final Map<Reason, Counter> findings = new EnumMap<>(Reason.class);
    private final Map<String, Counter> convertedByContainer = new ConcurrentHashMap<>();
    private final Counter failedOpen;
    private final Timer latency;

    @Inject
    public AdmissionMetrics(MeterRegistry registry, WebhookConfig config, CurrentEngine engine) {
        this(registry, config.admission().maxContainerLabels(), defaultSidecars(engine.get().configuration()));
    }

    /** The container names converted without being named in a pod: their counters exist from the start. */
    private static List<String> defaultSidecars(Configuration configuration) {
        List<String> names = new ArrayList<>(configuration.sidecars());
        for (SidecarProfile profile : configuration.profiles().all()) {
            if (profile.convertByDefault()) {
                names.addAll(profile.match().names());
            }
        }
        return names;
    }

    /** Outside CDI, e.g. in benchmarks. */
    public AdmissionMetrics(MeterRegistry registry, int maxContainerLabels, List<String> defaultSidecars) {
        this.registry = registry;
        this.maxContainerLabels = maxContainerLabels;
        for (Outcome outcome : Outcome.values()) {
            admissions.put(outcome, Counter.builder("nativesidecar.admissions")
                    .description("Admission reviews answered, by outcome")
                    .tag("outcome", outcome.label()).register(registry));
        }
        for (Reason reason : Reason.values()) {
            findings.put(reason, Counter.builder("nativesidecar.findings")
                    .description("What the engine reported about pods, by reason (warnings and information)")
                    .tag("reason", reason.code()).register(registry));
        }
        failedOpen = Counter.builder("nativesidecar.failed.open")
                .description("Reviews admitted unchanged because the conversion failed").register(registry);
        latency = Timer.builder("nativesidecar.admission.duration")
                .description("Time from a received review body to its answer's bytes")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
        defaultSidecars.forEach(this::convertedCounter);
    }

    public void record(Outcome outcome, long nanos) {
        admissions.get(outcome).increment();
        latency.record(nanos, TimeUnit.NANOSECONDS);
        if (outcome == Outcome.FAILED_OPEN) {
            failedOpen.increment();
        }
    }

    public void report(ConversionReport report) {
        for (Finding finding : report.findings()) {
            findings.get(finding.reason()).increment();
        }
        List<String> converted = report.converted();
        converted.forEach(name -> convertedCounter(name).increment());
    }

    private Counter convertedCounter(String container) {
        Counter counter = convertedByContainer.get(container);
        if (counter != null) {
            return counter;
        }
        String label = convertedByContainer.size() < maxContainerLabels ? container : OTHER_CONTAINER;
        return convertedByContainer.computeIfAbsent(label, name -> Counter.builder("nativesidecar.sidecars.converted")
                .description("Sidecars converted to native sidecars, by container name")
                .tag("container", name).register(registry));
    }
}

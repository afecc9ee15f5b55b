package io.nativesidecar.admission;

import io.nativesidecar.cluster.ClusterFactsSource;
import io.nativesidecar.config.WebhookConfig;
import io.nativesidecar.conversion.ConversionResult;
import io.nativesidecar.conversion.PodPatch;
import io.nativesidecar.conversion.SidecarConverter;
import io.nativesidecar.events.WorkloadEvents;
import io.nativesidecar.policy.Annotations;
import io.nativesidecar.report.Finding;
import io.nativesidecar.report.Reason;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Answers one admission request with the engine: a patch, warnings for the pod's owner, an audit
 * annotation. Never throws and never rejects: whatever goes wrong, the pod is admitted unchanged
 * (fail open), the error logged with the request's uid and counted.
 */
@ApplicationScoped
public class PodAdmission {

    private static final Logger LOG = Logger.getLogger(PodAdmission.class);
    static final String WARNING_PREFIX = "nativesidecar: ";
    /** The API server truncates longer warnings; keep ours readable instead. */
    static final int MAX_WARNING_LENGTH = 120;
    static final String AUDIT_KEY = "converted";

    private final Supplier<SidecarConverter> engine;
    private final ClusterFactsSource cluster;
    private final AdmissionMetrics metrics;
    private final boolean contractAuditKey;
    private final WorkloadEvents events;
    private final PodPatch patches = new PodPatch(AdmissionJson.MAPPER);

    @Inject
    public PodAdmission(CurrentEngine engine, ClusterFactsSource cluster, AdmissionMetrics metrics, WebhookConfig config,
                        WorkloadEvents events) {
        this(engine, cluster, metrics, config.admission().contractAuditKey(), events);
    }

    /** Outside CDI, e.g. in the warm-up and benchmarks: records no Events. */
    public PodAdmission(SidecarConverter engine, ClusterFactsSource cluster, AdmissionMetrics metrics, boolean contractAuditKey) {
        this(engine, cluster, metrics, contractAuditKey, WorkloadEvents.disabled());
    }

    /** Outside CDI, with Events. */
    public PodAdmission(SidecarConverter engine, ClusterFactsSource cluster, AdmissionMetrics metrics, boolean contractAuditKey,
                        WorkloadEvents events) {
        this(() -> engine, cluster, metrics, contractAuditKey, events);
    }

    private PodAdmission(Supplier<SidecarConverter> engine, ClusterFactsSource cluster, AdmissionMetrics metrics,
                         boolean contractAuditKey, WorkloadEvents events) {
        this.engine = engine;
        this.cluster = cluster;
        this.metrics = metrics;
        this.contractAuditKey = contractAuditKey;
        this.events = events;
    }

    public AdmissionAnswer decide(AdmissionRequest request) {
        if (!request.isPodCreate()) {
            return AdmissionAnswer.allow(request.apiVersion(), request.uid(), Outcome.NOT_APPLICABLE);
        }
        if (request.pod() == null) {
            String problem = request.podProblem() == null ? "the review has no object" : request.podProblem();
            LOG.errorf("uid %s: pod %s could not be read, admitted unchanged (fail open): %s",
                    request.uid(), request.podRef(), problem);
            return failedOpen(request, "the pod could not be read, admitted unchanged: " + problem);
        }
        try {
            ConversionResult result = engine.get().convert(request.pod(), () -> cluster.factsFor(request.pod()));
            byte[] patchBytes = patches.bytes(result);
            List<String> warnings = result.report().warnings().stream().map(f -> warning(f.message())).toList();
            Map<String, String> audit = new LinkedHashMap<>();
            List<String> converted = result.report().converted();
            if (!converted.isEmpty()) {
                String names = String.join(",", converted);
                audit.put(AUDIT_KEY, names);
                if (contractAuditKey) {
                    audit.put(Annotations.CONVERTED, names);
                }
                LOG.debugf("uid %s: pod %s: converted %s%s", request.uid(), request.podRef(), names,
                        request.dryRun() ? " (dry run)" : "");
            }
            metrics.report(result.report());
            Outcome outcome = outcome(result);
            events.record(request, result, outcome);
            return new AdmissionAnswer(request.apiVersion(), request.uid(), outcome, patchBytes, warnings, audit);
        } catch (Exception | StackOverflowError e) {
            LOG.errorf(e, "uid %s: converting pod %s failed, admitted unchanged (fail open)", request.uid(), request.podRef());
            // The uid is for the admission warning; the Event is per workload, so one such Event covers all its pods.
            events.recordFailure(request, "conversion failed, pod admitted unchanged (see the webhook log)");
            return failedOpen(request, "conversion failed, pod admitted unchanged (uid " + request.uid() + " in the webhook log)");
        }
    }

    private static AdmissionAnswer failedOpen(AdmissionRequest request, String message) {
        return new AdmissionAnswer(request.apiVersion(), request.uid(), Outcome.FAILED_OPEN, null, List.of(warning(message)),
                Map.of());
    }

    private static Outcome outcome(ConversionResult result) {
        for (Finding finding : result.report().findings()) {
            if (finding.reason() == Reason.UNDONE) {
                return Outcome.BROKEN;
            }
        }
        if (result.changed()) {
            return Outcome.CONVERTED;
        }
        for (Finding finding : result.report().findings()) {
            if (finding.reason() == Reason.OPTED_OUT) {
                return Outcome.OPTED_OUT;
            }
            if (finding.reason() == Reason.CLUSTER_UNSUPPORTED) {
                return Outcome.UNSUPPORTED;
            }
        }
        return Outcome.UNCHANGED;
    }

    static String warning(String message) {
        String warning = WARNING_PREFIX + message.replace('\n', ' ');
        return warning.length() <= MAX_WARNING_LENGTH ? warning : warning.substring(0, MAX_WARNING_LENGTH - 3) + "...";
    }
}

package io.nativesidecar.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nativesidecar.admission.AdmissionMetrics;
import io.nativesidecar.admission.AdmissionPath;
import io.nativesidecar.admission.AdmissionRequest;
import io.nativesidecar.admission.Outcome;
import io.nativesidecar.admission.PodAdmission;
import io.nativesidecar.cluster.ClusterFactsSource;
import io.nativesidecar.conversion.ClusterFacts;
import io.nativesidecar.conversion.ConversionResult;
import io.nativesidecar.conversion.SidecarConverter;
import io.nativesidecar.profile.Configuration;
import io.nativesidecar.testing.ConversionInvariants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Events on the owning workload, against the fabric8 mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class WorkloadEventsTest {

    private static final SidecarConverter ENGINE = new SidecarConverter(Configuration.builtIn());
    private static final Instant START = Instant.parse("2026-11-30T08:00:00Z");

    KubernetesMockServer server;
    KubernetesClient client;

    private final MutableClock clock = new MutableClock();
    private WorkloadEvents events;
    private Deployment deployment;
    private ReplicaSet replicaSet;
    private CronJob cronJob;
    private Job job;

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        Instant now = START;

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @BeforeEach
    void cluster() {
        events = new WorkloadEvents(new SimpleMeterRegistry(), true, 8, Duration.ofMinutes(10), clock);
        events.open(client);
        deployment = client.resource(new DeploymentBuilder().withNewMetadata().withName("orders").withNamespace("shop").endMetadata()
                .withNewSpec().endSpec().build()).create();
        replicaSet = client.resource(new ReplicaSetBuilder().withNewMetadata().withName("orders-5d4f8").withNamespace("shop")
                .withOwnerReferences(controllerOf(deployment)).endMetadata().withNewSpec().endSpec().build()).create();
        cronJob = client.resource(new CronJobBuilder().withNewMetadata().withName("nightly").withNamespace("batch").endMetadata()
                .withNewSpec().withSchedule("0 2 * * *").endSpec().build()).create();
        job = client.resource(new JobBuilder().withNewMetadata().withName("nightly-29400000").withNamespace("batch")
                .withOwnerReferences(controllerOf(cronJob)).endMetadata().withNewSpec().endSpec().build()).create();
    }

    private static io.fabric8.kubernetes.api.model.OwnerReference controllerOf(HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).withController(true).build();
    }

    /** A pod as its controller creates it: a log shipper beside the app, or (lastContainer) alone. */
    private static Pod pod(HasMetadata owner, boolean lastContainer) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withGenerateName("p-").withNamespace(owner.getMetadata().getNamespace())
                .addToAnnotations("nativesidecar.io/sidecars", "logs").endMetadata().withNewSpec().endSpec();
        pod.editMetadata().withOwnerReferences(controllerOf(owner)).endMetadata();
        if (!lastContainer) {
            pod.editSpec().addNewContainer().withName("app").withImage("app").endContainer().endSpec();
        }
        return pod.editSpec().addNewContainer().withName("logs").withImage("fluent-bit").endContainer().endSpec().build();
    }

    private static AdmissionRequest request(Pod pod, boolean dryRun) {
        return new AdmissionRequest("admission.k8s.io/v1", "uid-1", "", "Pod", "CREATE", dryRun,
                pod.getMetadata().getNamespace(), null, pod, null);
    }

    private void admit(Pod pod, Outcome outcome) {
        ConversionResult result = ENGINE.convert(pod, ClusterFacts.CURRENT);
        events.record(request(pod, false), result, outcome);
    }

    private List<Event> recorded(String namespace) {
        return client.v1().events().inNamespace(namespace).list().getItems();
    }

    @Test
    void aConvertedPodOfADeploymentIsAnEventOnTheDeployment() {
        admit(pod(replicaSet, false), Outcome.CONVERTED);
        events.drain();

        assertThat(recorded("shop")).singleElement().satisfies(event -> {
            assertThat(event.getInvolvedObject().getKind()).isEqualTo("Deployment");
            assertThat(event.getInvolvedObject().getName()).isEqualTo("orders");
            assertThat(event.getInvolvedObject().getUid()).isEqualTo(deployment.getMetadata().getUid());
            assertThat(event.getInvolvedObject().getApiVersion()).isEqualTo("apps/v1");
            assertThat(event.getReason()).isEqualTo("SidecarsConverted");
            assertThat(event.getType()).isEqualTo("Normal");
            assertThat(event.getMessage()).isEqualTo("Converted logs to native sidecars");
            assertThat(event.getSource().getComponent()).isEqualTo("native-sidecar-webhook");
            assertThat(event.getCount()).isEqualTo(1);
            assertThat(event.getFirstTimestamp()).isEqualTo("2026-11-30T08:00:00Z");
            assertThat(event.getMetadata().getName()).startsWith("orders.");
        });
        assertThat(events.count("sent")).isEqualTo(1);
    }

    @Test
    void aSkippedPodOfACronJobsJobIsAWarningOnTheCronJob() {
        admit(pod(job, true), Outcome.UNCHANGED);
        events.drain();

        assertThat(recorded("batch")).singleElement().satisfies(event -> {
            assertThat(event.getInvolvedObject().getKind()).isEqualTo("CronJob");
            assertThat(event.getInvolvedObject().getUid()).isEqualTo(cronJob.getMetadata().getUid());
            assertThat(event.getReason()).isEqualTo("SidecarsNotConverted");
            assertThat(event.getType()).isEqualTo("Warning");
            assertThat(event.getMessage()).isEqualTo("Sidecars left classic: logs: not converted, it is the pod's last regular container (profile fluent-bit)");
        });
    }

    @Test
    void theSameOwnerAndReasonIsRecordedOncePerWindowThenWithTheCountHeldBack() {
        admit(pod(replicaSet, false), Outcome.CONVERTED);
        events.drain();
        clock.now = START.plusSeconds(60);
        admit(pod(replicaSet, false), Outcome.CONVERTED);
        admit(pod(replicaSet, false), Outcome.CONVERTED);
        events.drain();
        assertThat(recorded("shop")).hasSize(1);
        assertThat(events.count("aggregated")).isEqualTo(2);

        clock.now = START.plus(Duration.ofMinutes(11));
        admit(pod(replicaSet, false), Outcome.CONVERTED);
        events.drain();
        assertThat(recorded("shop")).hasSize(2).anySatisfy(event -> {
            assertThat(event.getCount()).isEqualTo(3);
            assertThat(event.getFirstTimestamp()).isEqualTo("2026-11-30T08:01:00Z");
            assertThat(event.getLastTimestamp()).isEqualTo("2026-11-30T08:11:00Z");
        });
        // Another reason for the same owner is another event.
        admit(pod(replicaSet, true), Outcome.UNCHANGED);
        events.drain();
        assertThat(recorded("shop")).hasSize(3);
    }

    /** Warnings about annotations are not sidecars left classic: a pod with nothing skipped says what was ignored. */
    @Test
    void annotationProblemsAloneAreNotCalledSkippedSidecars() {
        Pod typo = new PodBuilder(pod(replicaSet, false)).editMetadata()
                .withAnnotations(Map.of("nativesidecar.io/sidecars", "log")).endMetadata().build();
        admit(typo, Outcome.UNCHANGED);
        events.drain();

        assertThat(recorded("shop")).singleElement().satisfies(event -> {
            assertThat(event.getReason()).isEqualTo("SidecarAnnotationIgnored");
            assertThat(event.getType()).isEqualTo("Warning");
            assertThat(event.getMessage()).startsWith("Nothing converted; log: named as a sidecar, but the pod has no such container");
        });
    }

    /**
     * Each failed review has its own uid, but the Event is per workload: the failures of a rollout aggregate. Through
     * the admission path, whose failure message must not carry the uid (or every pod would be an Event of its own).
     */
    @Test
    void failuresOfOneWorkloadAggregate() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AdmissionMetrics metrics = new AdmissionMetrics(registry, 8, List.of());
        ClusterFactsSource failing = new ClusterFactsSource() {
            @Override
            public ClusterFacts factsFor(Pod pod) {
                throw new IllegalStateException("cluster facts unavailable");
            }
        };
        AdmissionPath path = new AdmissionPath(new PodAdmission(ENGINE, failing, metrics, true, events), metrics);
        for (String uid : List.of("uid-1", "uid-2", "uid-3")) {
            String review = """
                    {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"%s","kind":{"group":"","version":"v1","kind":"Pod"},
                     "operation":"CREATE","namespace":"shop","object":%s}}"""
                    .formatted(uid, ConversionInvariants.JSON.writeValueAsString(pod(replicaSet, false)));
            assertThat(new String(path.answer(review.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
                    .contains("conversion failed");
        }
        events.drain();
        assertThat(recorded("shop")).singleElement().satisfies(event -> {
            assertThat(event.getReason()).isEqualTo("SidecarsNotConverted");
            assertThat(event.getMessage()).doesNotContain("uid-");
        });
        assertThat(events.count("aggregated")).isEqualTo(2);
    }

    @Test
    void dryRunsBarePodsAndPodsWithNothingToSayRecordNothing() {
        Pod converted = pod(replicaSet, false);
        events.record(request(converted, true), ENGINE.convert(converted, ClusterFacts.CURRENT), Outcome.CONVERTED);
        Pod bare = new PodBuilder(pod(replicaSet, false)).editMetadata().withOwnerReferences(List.of()).endMetadata().build();
        admit(bare, Outcome.CONVERTED);
        Pod plain = new PodBuilder(pod(replicaSet, false)).editMetadata().withAnnotations(Map.of()).endMetadata().build();
        admit(plain, Outcome.UNCHANGED);
        admit(pod(replicaSet, false), Outcome.OPTED_OUT);
        events.drain();

        assertThat(recorded("shop")).isEmpty();
        assertThat(events.count("sent") + events.count("aggregated") + events.count("dropped_queue_full")).isZero();
    }

    @Test
    void aFullQueueDropsAndCounts() {
        for (int i = 0; i < 10; i++) {
            admit(pod(replicaSet, false), Outcome.CONVERTED);
        }
        assertThat(events.count("dropped_queue_full")).isEqualTo(2);
        events.drain();
        assertThat(events.count("sent")).isEqualTo(1);
        assertThat(events.count("aggregated")).isEqualTo(7);
    }

    @Test
    void anUnreachableApiIsCountedAndNeverThrown() {
        WorkloadEvents unreachable = new WorkloadEvents(new SimpleMeterRegistry(), true, 8, Duration.ofMinutes(10), clock);
        unreachable.open(new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl("http://127.0.0.1:1")
                .withRequestRetryBackoffLimit(0).withConnectionTimeout(500).withRequestTimeout(500).build()).build());
        Pod pod = pod(replicaSet, false);
        unreachable.record(request(pod, false), ENGINE.convert(pod, ClusterFacts.CURRENT), Outcome.CONVERTED);
        unreachable.drain();
        assertThat(unreachable.count("dropped_api_error")).isEqualTo(1);
    }

    @Test
    void disabledRecordsNothingAndNeedsNoApi() {
        WorkloadEvents disabled = WorkloadEvents.disabled();
        Pod pod = pod(replicaSet, false);
        disabled.record(request(pod, false), ENGINE.convert(pod, ClusterFacts.CURRENT), Outcome.CONVERTED);
        disabled.start(client);
        disabled.record(request(pod, false), ENGINE.convert(pod, ClusterFacts.CURRENT), Outcome.CONVERTED);
        assertThat(recorded("shop")).isEmpty();
    }

    /** The admission path hands its outcome over: a review of a converted pod becomes an Event, a dry run does not. */
    @Test
    void theAdmissionPathRecordsThroughIt() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AdmissionMetrics metrics = new AdmissionMetrics(registry, 8, List.of());
        AdmissionPath path = new AdmissionPath(new PodAdmission(ENGINE, new ClusterFactsSource(), metrics, true, events), metrics);
        for (boolean dryRun : new boolean[] {true, false}) {
            String review = """
                    {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","kind":{"group":"","version":"v1","kind":"Pod"},
                     "operation":"CREATE","namespace":"shop","dryRun":%s,"object":%s}}"""
                    .formatted(dryRun, ConversionInvariants.JSON.writeValueAsString(pod(replicaSet, false)));
            assertThat(path.answer(review.getBytes(StandardCharsets.UTF_8))).isNotNull();
        }
        events.drain();
        assertThat(recorded("shop")).singleElement().satisfies(event -> assertThat(event.getReason()).isEqualTo("SidecarsConverted"));
    }
}

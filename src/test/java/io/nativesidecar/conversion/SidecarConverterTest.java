package io.nativesidecar.conversion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.nativesidecar.policy.Annotations;
import io.nativesidecar.profile.Configuration;
import io.nativesidecar.report.Finding;
import io.nativesidecar.report.Reason;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Engine behaviour that golden files cannot show: purity, sharing, cluster facts, degenerate pods. */
class SidecarConverterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final SidecarConverter engine = new SidecarConverter(Configuration.builtIn());

    @Test
    void neverModifiesItsInputAndSharesWhatItDidNotChange() {
        Pod pod = istioPod();
        JsonNode before = JSON.valueToTree(pod);

        ConversionResult result = engine.convert(pod, ClusterFacts.CURRENT);

        assertThat(result.changed()).isTrue();
        assertThat((JsonNode) JSON.valueToTree(pod)).isEqualTo(before);
        assertThat(result.pod().getSpec().getContainers().get(0)).isSameAs(pod.getSpec().getContainers().get(0));
        assertThat(result.pod().getSpec().getInitContainers().get(0)).isSameAs(pod.getSpec().getInitContainers().get(0));
        assertThat(result.pod().getSpec().getVolumes()).isSameAs(pod.getSpec().getVolumes());
        assertThat(result.pod().getMetadata().getLabels()).isSameAs(pod.getMetadata().getLabels());
    }

    @Test
    void unsupportedClusterLeavesThePodAloneWithOneWarning() {
        Pod pod = istioPod();
        ConversionResult result = engine.convert(pod, ClusterFacts.unsupported("kubelet v1.28.9 on node-3"));
        assertThat(result.pod()).isSameAs(pod);
        assertThat(result.report().warnings()).extracting(Finding::reason).containsExactly(Reason.CLUSTER_UNSUPPORTED);
        assertThat(result.report().warnings().get(0).message()).contains("kubelet v1.28.9 on node-3");
    }

    @Test
    void clusterFactsAreOnlyAskedForWhenThereIsSomethingToConvert() {
        Pod noSidecars = new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec()
                .addNewContainer().withName("app").withImage("a").endContainer().endSpec().build();
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        engine.convert(noSidecars, () -> {
            asked.incrementAndGet();
            return ClusterFacts.CURRENT;
        });
        assertThat(asked).hasValue(0);
        engine.convert(istioPod(), () -> {
            asked.incrementAndGet();
            return ClusterFacts.CURRENT;
        });
        assertThat(asked).hasValue(1);
    }

    @Test
    void sleepBecomesAnExecSleepBeforeApiServer130() {
        Pod pod = istioPod();
        pod.getMetadata().getAnnotations().put(Annotations.PRE_STOP_PREFIX + "istio-proxy", "sleep:10");
        ClusterFacts k129 = new ClusterFacts(true, null, false);

        Container proxy = engine.convert(pod, k129).pod().getSpec().getInitContainers().get(1);

        assertThat(proxy.getLifecycle().getPreStop().getSleep()).isNull();
        assertThat(proxy.getLifecycle().getPreStop().getExec().getCommand()).containsExactly("sleep", "10");
        Container modern = engine.convert(pod, ClusterFacts.CURRENT).pod().getSpec().getInitContainers().get(1);
        assertThat(modern.getLifecycle().getPreStop().getSleep().getSeconds()).isEqualTo(10L);
    }

    @Test
    void degeneratePodsAreReportedNotThrown() {
        assertThat(engine.convert(null, ClusterFacts.CURRENT).changed()).isFalse();
        assertThat(engine.convert(new Pod(), ClusterFacts.CURRENT).changed()).isFalse();
        Pod noContainers = new PodBuilder().withNewSpec().endSpec().build();
        noContainers.getSpec().setContainers(null);
        noContainers.getSpec().setInitContainers(null);
        assertThat(engine.convert(noContainers, ClusterFacts.CURRENT).changed()).isFalse();
        Pod noMetadata = istioPod();
        noMetadata.setMetadata(null);
        ConversionResult result = engine.convert(noMetadata, ClusterFacts.CURRENT);
        assertThat(result.pod().getMetadata().getAnnotations()).containsEntry(Annotations.CONVERTED, "istio-proxy");
    }

    @Test
    void aSecondPassAddsToTheConvertedRecord() {
        Pod pod = istioPod();
        Pod once = engine.convert(pod, ClusterFacts.CURRENT).pod();
        once.getMetadata().getAnnotations().put(Annotations.SIDECARS, "logs");
        once.getSpec().getContainers().add(new io.fabric8.kubernetes.api.model.ContainerBuilder()
                .withName("logs").withImage("fluent/fluent-bit:3.1").build());

        Pod twice = engine.convert(once, ClusterFacts.CURRENT).pod();

        assertThat(twice.getMetadata().getAnnotations()).containsEntry(Annotations.CONVERTED, "istio-proxy,logs");
        assertThat(twice.getSpec().getInitContainers()).extracting(Container::getName)
                .containsExactly("istio-init", "istio-proxy", "logs");
    }

    @Test
    void configuredDefaultsDecide() {
        SidecarConverter custom = new SidecarConverter(Configuration.builtIn().withSidecars(List.of("app-proxy")));
        Pod pod = new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec()
                .addNewContainer().withName("app").withImage("a").endContainer()
                .addNewContainer().withName("app-proxy").withImage("b").endContainer()
                .endSpec().build();
        assertThat(custom.convert(pod, ClusterFacts.CURRENT).report().converted()).containsExactly("app-proxy");
        assertThat(engine.convert(pod, ClusterFacts.CURRENT).changed()).isFalse();
    }

    private static Pod istioPod() {
        return new PodBuilder()
                .withNewMetadata().withName("hello").addToAnnotations("x", "y").addToLabels("app", "hello").endMetadata()
                .withNewSpec()
                .addNewInitContainer().withName("istio-init").withImage("proxyv2").endInitContainer()
                .addNewContainer().withName("hello").withImage("hello").endContainer()
                .addNewContainer().withName("istio-proxy").withImage("proxyv2").endContainer()
                .addNewVolume().withName("istio-envoy").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec().build();
    }
}

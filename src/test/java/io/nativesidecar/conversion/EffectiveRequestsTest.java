package io.nativesidecar.conversion;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The scheduler's formula with sidecars (KEP-753), on the cases where it differs from a plain sum. */
class EffectiveRequestsTest {

    @Test
    void classicPodIsTheMaxOfTheLargestInitAndTheSumOfContainers() {
        PodSpec spec = new PodSpecBuilder()
                .withInitContainers(container("init", "1", "256Mi", false))
                .withContainers(container("app", "500m", "512Mi", false), container("proxy", "100m", "128Mi", false))
                .build();
        assertThat(EffectiveRequests.of(spec)).hasToString("cpu 1000m, memory 640Mi");
    }

    @Test
    void aSidecarBeforeAnInitContainerAddsToIt() {
        PodSpec spec = new PodSpecBuilder()
                .withInitContainers(container("proxy", "100m", "128Mi", true), container("init", "1", "256Mi", false))
                .withContainers(container("app", "500m", "512Mi", false))
                .build();
        // init phase: 100m + 1 = 1100m, 128Mi + 256Mi = 384Mi; run phase: 600m, 640Mi
        assertThat(EffectiveRequests.of(spec)).hasToString("cpu 1100m, memory 640Mi");
    }

    @Test
    void limitsStandInForMissingRequestsAndOverheadIsAdded() {
        Container limitsOnly = new ContainerBuilder().withName("a").withNewResources()
                .withLimits(Map.of("cpu", new Quantity("2"), "memory", new Quantity("1Gi"))).endResources().build();
        PodSpec spec = new PodSpecBuilder().withContainers(limitsOnly)
                .withOverhead(Map.of("cpu", new Quantity("250m"), "memory", new Quantity("120Mi"))).build();
        assertThat(EffectiveRequests.of(spec)).hasToString("cpu 2250m, memory 1144Mi");
    }

    @Test
    void nothingRequestedIsZero() {
        assertThat(EffectiveRequests.of(null)).hasToString("cpu 0m, memory 0Mi");
        assertThat(EffectiveRequests.of(new PodSpecBuilder().withContainers(new Container()).build()))
                .hasToString("cpu 0m, memory 0Mi");
    }

    @Test
    void anUnreadableQuantityCountsAsNothingInsteadOfFailing() {
        Container broken = new ContainerBuilder().withName("a").withNewResources()
                .withRequests(Map.of("cpu", new Quantity("abc"), "memory", new Quantity("64Mi"))).endResources().build();
        assertThat(EffectiveRequests.of(new PodSpecBuilder().withContainers(broken).build())).hasToString("cpu 0m, memory 64Mi");
    }

    private static Container container(String name, String cpu, String memory, boolean sidecar) {
        return new ContainerBuilder().withName(name).withRestartPolicy(sidecar ? "Always" : null)
                .withNewResources().withRequests(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory)))
                .endResources().build();
    }
}

package io.nativesidecar.cluster;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.nativesidecar.conversion.ClusterFacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which pods may get native sidecars, for API servers 1.28–1.31 and skewed kubelets. */
class NativeSidecarSupportTest {

    private static final PodSpec ANY_POD = new PodSpecBuilder().addNewContainer().withName("app").endContainer().build();

    @ParameterizedTest
    @CsvSource({"v1.28.9,false,false", "v1.29.4,true,false", "v1.30.2,true,true", "v1.31.0,true,true"})
    void apiServerVersionDecides(String apiServer, boolean supported, boolean sleepAction) {
        ClusterState state = stateWith(apiServer, Nodes.node("n1", apiServer, true));
        ClusterFacts facts = new NativeSidecarSupport(state, true).factsFor(ANY_POD);
        assertThat(facts.nativeSidecarsSupported()).isEqualTo(supported);
        assertThat(facts.sleepActionSupported()).isEqualTo(sleepAction);
        if (!supported) {
            assertThat(facts.unsupportedDetail()).contains("API server " + apiServer);
        }
    }

    @Test
    void aSkewedKubeletAnywhereTheCouldLandBlocksConversion() {
        ClusterState state = skewedCluster();
        ClusterFacts facts = new NativeSidecarSupport(state, true).factsFor(ANY_POD);
        assertThat(facts.nativeSidecarsSupported()).isFalse();
        assertThat(facts.unsupportedDetail()).isEqualTo("kubelet v1.28.9 on node old-1, oldest of 3 nodes the pod may use");
    }

    @Test
    void aPodBoundToANewNodeIsConverted() {
        PodSpec pinned = new PodSpecBuilder(ANY_POD).withNodeName("new-1").build();
        assertThat(new NativeSidecarSupport(skewedCluster(), true).factsFor(pinned).nativeSidecarsSupported()).isTrue();
        PodSpec onOld = new PodSpecBuilder(ANY_POD).withNodeName("old-1").build();
        assertThat(new NativeSidecarSupport(skewedCluster(), true).factsFor(onOld).unsupportedDetail())
                .isEqualTo("kubelet v1.28.9 on node old-1");
    }

    @Test
    void aNodeSelectorThatAvoidsTheOldNodeAllowsConversion() {
        PodSpec selected = new PodSpecBuilder(ANY_POD).withNodeSelector(Map.of("pool", "new")).build();
        ClusterFacts facts = new NativeSidecarSupport(skewedCluster(), true).factsFor(selected);
        assertThat(facts.nativeSidecarsSupported()).isTrue();
        assertThat(facts.sleepActionSupported()).isTrue();
    }

    @Test
    void requiredNodeAffinityIsHonoured() {
        PodSpec affine = new PodSpecBuilder(ANY_POD).withNewAffinity().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchExpression().withKey("pool").withOperator("NotIn").withValues("old").endMatchExpression().endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().build();
        assertThat(new NativeSidecarSupport(skewedCluster(), true).factsFor(affine).nativeSidecarsSupported()).isTrue();

        PodSpec toOld = new PodSpecBuilder(ANY_POD).withNewAffinity().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchField().withKey("metadata.name").withOperator("In").withValues("old-1").endMatchField().endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().build();
        assertThat(new NativeSidecarSupport(skewedCluster(), true).factsFor(toOld).nativeSidecarsSupported()).isFalse();
    }

    @Test
    void aSelectorNothingMatchesFallsBackToAllReadyNodes() {
        PodSpec nowhere = new PodSpecBuilder(ANY_POD).withNodeSelector(Map.of("pool", "gpu")).build();
        assertThat(new NativeSidecarSupport(skewedCluster(), true).factsFor(nowhere).nativeSidecarsSupported()).isFalse();
    }

    @Test
    void notReadyNodesDoNotCount() {
        ClusterState state = stateWith("v1.30.0", Nodes.node("new-1", "v1.30.0", true), Nodes.node("dead", "v1.27.0", false));
        assertThat(new NativeSidecarSupport(state, true).factsFor(ANY_POD).nativeSidecarsSupported()).isTrue();
    }

    @Test
    void aKubeletOn129KeepsTheExecSleep() {
        ClusterState state = stateWith("v1.30.0", Nodes.node("a", "v1.30.0", true), Nodes.node("b", "v1.29.9", true));
        ClusterFacts facts = new NativeSidecarSupport(state, true).factsFor(ANY_POD);
        assertThat(facts.nativeSidecarsSupported()).isTrue();
        assertThat(facts.sleepActionSupported()).isFalse();
    }

    @Test
    void nodeChecksCanBeSwitchedOff() {
        assertThat(new NativeSidecarSupport(skewedCluster(), false).factsFor(ANY_POD).nativeSidecarsSupported()).isTrue();
    }

    @Test
    void unknownFactsMeanNoConversionButNoApiMeansAssumeSupported() {
        ClusterState unknown = ClusterState.fromApi();
        assertThat(new NativeSidecarSupport(unknown, true).factsFor(ANY_POD).unsupportedDetail()).contains("not known yet");
        unknown.apiServer(new KubernetesVersion(1, 30), "v1.30.0");
        assertThat(new NativeSidecarSupport(unknown, true).factsFor(ANY_POD).unsupportedDetail()).contains("nodes are not known yet");
        assertThat(new NativeSidecarSupport(ClusterState.withoutApiAccess(), true).factsFor(ANY_POD)).isEqualTo(ClusterFacts.CURRENT);
    }

    /** API server 1.30; two 1.30 nodes in pool "new", one 1.28 node in pool "old". */
    private static ClusterState skewedCluster() {
        return stateWith("v1.30.3",
                Nodes.node("new-1", "v1.30.3", true, "pool", "new"),
                Nodes.node("new-2", "v1.30.3", true, "pool", "new"),
                Nodes.node("old-1", "v1.28.9", true, "pool", "old"));
    }

    private static ClusterState stateWith(String apiServer, io.fabric8.kubernetes.api.model.Node... nodes) {
        ClusterState state = ClusterState.fromApi();
        state.apiServer(KubernetesVersion.parse(apiServer), apiServer);
        for (var node : nodes) {
            state.nodeChanged(NodeFacts.of(node));
        }
        state.nodesSynced(true);
        return state;
    }
}

package io.nativesidecar.conversion;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.nativesidecar.profile.Configuration;
import io.nativesidecar.profile.ConfigurationFile;
import io.nativesidecar.report.Finding;
import io.nativesidecar.report.Reason;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** What a profile does to a pod, in the cases golden files show less well: edges the API server would refuse. */
class ProfileApplicationTest {

    private static Configuration configuration(String profiles) throws Exception {
        return ConfigurationFile.parse("test", ("apiVersion: nativesidecar.io/v1alpha1\nkind: Configuration\nprofiles:\n"
                + profiles).getBytes(StandardCharsets.UTF_8));
    }

    private static Pod pod(Container... containers) {
        return new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec()
                .addNewContainer().withName("app").withImage("ghcr.io/example/app:1").endContainer()
                .addToContainers(containers).endSpec().build();
    }

    private static Container agent() {
        return new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("agent").withImage("example.com/agent:1")
                .withNewReadinessProbe().withNewHttpGet().withPath("/ready").withNewPort(8080).endHttpGet()
                .withSuccessThreshold(3).withPeriodSeconds(7).endReadinessProbe().build();
    }

    @Test
    void sameAsReadinessCopiesTheProbeButNotItsSuccessThreshold() throws Exception {
        SidecarConverter engine = new SidecarConverter(configuration("""
                - name: agent
                  match: {names: [agent]}
                  startupProbe: sameAsReadiness
                """));
        Container converted = engine.convert(pod(agent()), ClusterFacts.CURRENT).pod().getSpec().getInitContainers().get(0);
        assertThat(converted.getStartupProbe().getPeriodSeconds()).isEqualTo(7);
        assertThat(converted.getStartupProbe().getHttpGet().getPath()).isEqualTo("/ready");
        // The API server refuses a startupProbe with a successThreshold other than 1.
        assertThat(converted.getStartupProbe().getSuccessThreshold()).isNull();
        assertThat(converted.getReadinessProbe().getSuccessThreshold()).isEqualTo(3);
    }

    @Test
    void aProfileSleepIsAnExecSleepBeforeApiServer130() throws Exception {
        SidecarConverter engine = new SidecarConverter(configuration("""
                - name: agent
                  match: {names: [agent]}
                  preStop:
                    sleep: {seconds: 40}
                """));
        ConversionResult old = engine.convert(pod(agent()), new ClusterFacts(true, null, false));
        Container converted = old.pod().getSpec().getInitContainers().get(0);
        assertThat(converted.getLifecycle().getPreStop().getSleep()).isNull();
        assertThat(converted.getLifecycle().getPreStop().getExec().getCommand()).containsExactly("sleep", "40");
        assertThat(old.pod().getSpec().getTerminationGracePeriodSeconds()).isEqualTo(45L);
        Container current = engine.convert(pod(agent()), ClusterFacts.CURRENT).pod().getSpec().getInitContainers().get(0);
        assertThat(current.getLifecycle().getPreStop().getSleep().getSeconds()).isEqualTo(40L);
    }

    @Test
    void aProfileProbeOnAPortTheContainerLacksIsLeftOutWithAWarning() throws Exception {
        SidecarConverter engine = new SidecarConverter(configuration("""
                - name: agent
                  match: {names: [agent]}
                  startupProbe:
                    httpGet: {path: /started, port: "${adminPort}"}
                  parameters:
                    adminPort: {annotation: example.com/admin-port, default: admin}
                """));
        ConversionResult result = engine.convert(pod(agent()), ClusterFacts.CURRENT);
        assertThat(result.pod().getSpec().getInitContainers().get(0).getStartupProbe()).isNull();
        assertThat(result.report().warnings()).extracting(Finding::reason).containsExactly(Reason.PROFILE_PORT_UNKNOWN);

        Pod numbered = pod(agent());
        numbered.getMetadata().setAnnotations(java.util.Map.of("example.com/admin-port", "9901"));
        ConversionResult withPort = engine.convert(numbered, ClusterFacts.CURRENT);
        assertThat(withPort.pod().getSpec().getInitContainers().get(0).getStartupProbe().getHttpGet().getPort().getIntVal())
                .isEqualTo(9901);
        assertThat(withPort.report().warnings()).isEmpty();

        numbered.getMetadata().setAnnotations(java.util.Map.of("example.com/admin-port", "99999"));
        assertThat(engine.convert(numbered, ClusterFacts.CURRENT).report().warnings())
                .extracting(Finding::reason).containsExactly(Reason.PROFILE_PORT_UNKNOWN);
    }

    /** A mesh a team describes itself: its setup init container moves to the front, its proxy right after it. */
    @Test
    void aUserMeshProxyFollowsItsOwnSetupContainers() throws Exception {
        SidecarConverter engine = new SidecarConverter(configuration("""
                - name: team-mesh
                  match: {images: ["*/team/mesh-proxy"]}
                  meshProxy: true
                  setupContainers: [mesh-init]
                """));
        Pod pod = new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec()
                .addNewInitContainer().withName("migrate").withImage("migrate").endInitContainer()
                .addNewInitContainer().withName("mesh-init").withImage("example.com/team/mesh-init:1").endInitContainer()
                .addNewContainer().withName("app").withImage("app").endContainer()
                .addNewContainer().withName("proxy").withImage("example.com/team/mesh-proxy:1").endContainer()
                .endSpec().build();
        assertThat(engine.convert(pod, ClusterFacts.CURRENT).pod().getSpec().getInitContainers())
                .extracting(Container::getName).containsExactly("mesh-init", "proxy", "migrate");
    }

    /** A Cloud SQL proxy Deployment with an Istio proxy: Istio's proxy is the sidecar, the Cloud SQL proxy the workload. */
    @Test
    void theMostCertainSidecarIsConvertedWhenOnlyOneCanBe() {
        Pod pod = new PodBuilder().withNewMetadata().withName("shared-db-proxy").endMetadata().withNewSpec()
                .addNewContainer().withName("proxy").withImage("gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0").endContainer()
                .addNewContainer().withName("istio-proxy").withImage("docker.io/istio/proxyv2:1.24.0").endContainer()
                .endSpec().build();
        ConversionResult result = new SidecarConverter(Configuration.builtIn()).convert(pod, ClusterFacts.CURRENT);
        assertThat(result.report().converted()).containsExactly("istio-proxy");
        assertThat(result.pod().getSpec().getContainers()).extracting(Container::getName).containsExactly("proxy");
        assertThat(result.report().findings()).extracting(Finding::reason).contains(Reason.STANDALONE_PROXY);
    }

    @Test
    void aPodsOptOutOfItsProjectsNativeModeBeatsThePlatformList() throws Exception {
        Pod pod = pod(new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("istio-proxy").withImage("proxyv2").build());
        pod.getMetadata().setAnnotations(java.util.Map.of("sidecar.istio.io/nativeSidecar", "false"));
        SidecarConverter listed = new SidecarConverter(Configuration.builtIn().withSidecars(java.util.List.of("istio-proxy")));
        ConversionResult result = listed.convert(pod, ClusterFacts.CURRENT);
        assertThat(result.changed()).isFalse();
        assertThat(result.report().findings()).extracting(Finding::reason).containsExactly(Reason.PROJECT_OPTED_OUT);

        pod.getMetadata().setAnnotations(java.util.Map.of("sidecar.istio.io/nativeSidecar", "false",
                "nativesidecar.io/sidecars", "istio-proxy"));
        assertThat(listed.convert(pod, ClusterFacts.CURRENT).report().converted()).containsExactly("istio-proxy");
    }
}

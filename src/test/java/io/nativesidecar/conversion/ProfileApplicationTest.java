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

    /** Linkerd's native mode writes no lifecycle: the sleep of proxy.waitBeforeExitSeconds goes with linkerd-await. */
    @Test
    void linkerdsClassicPreStopSleepGoesAsInItsNativeMode() {
        Container proxy = new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("linkerd-proxy")
                .withImage("cr.l5d.io/linkerd/proxy:edge-26.5.1")
                .withNewReadinessProbe().withNewHttpGet().withPath("/ready").withNewPort(4191).endHttpGet().endReadinessProbe()
                .withNewLifecycle()
                    .withNewPostStart().withNewExec().withCommand("/usr/lib/linkerd/linkerd-await", "--timeout=2m", "--port=4191")
                        .endExec().endPostStart()
                    .withNewPreStop().withNewExec().withCommand("/bin/sleep", "10").endExec().endPreStop()
                .endLifecycle().build();
        ConversionResult result = new SidecarConverter(Configuration.builtIn()).convert(pod(proxy), ClusterFacts.CURRENT);
        Container converted = result.pod().getSpec().getInitContainers().get(0);
        assertThat(converted.getLifecycle()).isNull();
        assertThat(converted.getStartupProbe().getFailureThreshold()).isEqualTo(120);

        Pod annotated = pod(proxy);
        annotated.getMetadata().setAnnotations(java.util.Map.of("nativesidecar.io/pre-stop.linkerd-proxy", "sleep:5"));
        assertThat(new SidecarConverter(Configuration.builtIn()).convert(annotated, ClusterFacts.CURRENT).pod().getSpec()
                .getInitContainers().get(0).getLifecycle().getPreStop().getSleep().getSeconds()).isEqualTo(5L);
    }

    /** A container the pod named takes the one place: the default sidecar left classic is a warning, not "nothing to fix". */
    @Test
    void aNamedSidecarThatTakesThePlaceLeavesAWarning() {
        Pod pod = new PodBuilder().withNewMetadata().withName("batch")
                .addToAnnotations("nativesidecar.io/sidecars", "worker").endMetadata().withNewSpec()
                .addNewContainer().withName("istio-proxy").withImage("docker.io/istio/proxyv2:1.24.0").endContainer()
                .addNewContainer().withName("worker").withImage("ghcr.io/example/worker:1").endContainer()
                .endSpec().build();
        ConversionResult result = new SidecarConverter(Configuration.builtIn()).convert(pod, ClusterFacts.CURRENT);
        assertThat(result.report().converted()).containsExactly("worker");
        assertThat(result.report().warnings()).extracting(Finding::reason).containsExactly(Reason.LAST_CONTAINER);
    }

    @Test
    void onlyDeclaredNamesAreReplaced() {
        assertThat(ParameterSubstitution.replace("${a ${p} and ${p}", java.util.Map.of("p", "15020")))
                .isEqualTo("${a 15020 and 15020");
        assertThat(ParameterSubstitution.replace("--port=${p", java.util.Map.of("p", "1"))).isEqualTo("--port=${p");
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

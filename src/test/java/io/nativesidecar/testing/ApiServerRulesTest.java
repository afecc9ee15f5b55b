package io.nativesidecar.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EphemeralContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiServerRulesTest {

    @Test
    void acceptsAnIstioPodWithANativeSidecar() {
        assertThat(ApiServerRules.violations(pod(List.of(istioInit(), istioProxy()), app())))
                .isEmpty();
    }

    @Test
    void rejectsAnInitContainerRestartPolicyOtherThanAlways() {
        Container proxy = new ContainerBuilder(istioProxy()).withRestartPolicy("OnFailure").build();

        assertThat(ApiServerRules.violations(pod(List.of(proxy), app()))).contains(
                "initContainers[0] (istio-proxy): restartPolicy must be Always when set, got \"OnFailure\"");
    }

    @Test
    void rejectsRestartPolicyOnARegularContainer() {
        Container app = new ContainerBuilder(app()).withRestartPolicy("Always").build();

        assertThat(ApiServerRules.violations(pod(List.of(), app)))
                .containsExactly("containers[0] (app): restartPolicy may not be set for non-init containers");
    }

    @ParameterizedTest
    @ValueSource(strings = {"lifecycle", "livenessProbe", "readinessProbe", "startupProbe"})
    void rejectsHooksAndProbesOnAPlainInitContainer(String field) {
        ContainerBuilder init = new ContainerBuilder(istioInit());
        switch (field) {
            case "lifecycle" -> init.withNewLifecycle().withNewPreStop().withNewExec()
                    .withCommand("true").endExec().endPreStop().endLifecycle();
            case "livenessProbe" -> init.withLivenessProbe(httpProbe(15021));
            case "readinessProbe" -> init.withReadinessProbe(httpProbe(15021));
            default -> init.withStartupProbe(httpProbe(15021));
        }

        assertThat(ApiServerRules.violations(pod(List.of(init.build()), app())))
                .containsExactly("initContainers[0] (istio-init): plain init container must not set " + field);
    }

    @Test
    void rejectsANameUsedByARegularAndAnInitContainer() {
        Container clash = new ContainerBuilder(istioProxy()).withName("app").build();

        assertThat(ApiServerRules.violations(pod(List.of(clash), app())))
                .containsExactly("initContainers[0] (app): duplicate container name \"app\"");
    }

    @Test
    void rejectsAnEphemeralContainerNamedLikeAnInitContainer() {
        Pod pod = new PodBuilder(pod(List.of(istioProxy()), app())).editSpec()
                .withEphemeralContainers(new EphemeralContainerBuilder()
                        .withName("istio-proxy").withImage("busybox").build())
                .endSpec().build();

        assertThat(ApiServerRules.violations(pod))
                .containsExactly("ephemeralContainers[0] (istio-proxy): duplicate container name \"istio-proxy\"");
    }

    @Test
    void rejectsANameThatIsNotADns1123Label() {
        Container proxy = new ContainerBuilder(istioProxy()).withName("Istio_Proxy").build();

        assertThat(ApiServerRules.violations(pod(List.of(proxy), app())))
                .singleElement().asString()
                .startsWith("initContainers[0] (Istio_Proxy): name \"Istio_Proxy\" must be a DNS-1123 label");
    }

    @Test
    void rejectsAMissingImage() {
        Container app = new ContainerBuilder(app()).withImage(null).build();

        assertThat(ApiServerRules.violations(pod(List.of(), app)))
                .containsExactly("containers[0] (app): image is required");
    }

    @Test
    void rejectsAProbeWithoutAHandler() {
        Container proxy = new ContainerBuilder(istioProxy())
                .withStartupProbe(new ProbeBuilder().withPeriodSeconds(1).build()).build();

        assertThat(ApiServerRules.violations(pod(List.of(proxy), app()))).containsExactly(
                "initContainers[0] (istio-proxy): startupProbe must specify a handler"
                        + " (exec, httpGet, tcpSocket or grpc)");
    }

    @Test
    void rejectsAProbeWithTwoHandlers() {
        Probe twoHandlers = new ProbeBuilder(httpProbe(15021))
                .withNewTcpSocket().withPort(new IntOrString(15021)).endTcpSocket().build();
        Container app = new ContainerBuilder(app()).withReadinessProbe(twoHandlers).build();

        assertThat(ApiServerRules.violations(pod(List.of(), app))).containsExactly(
                "containers[0] (app): readinessProbe may specify only one handler, found httpGet, tcpSocket");
    }

    @Test
    void rejectsALifecycleHookWithoutAHandler() {
        Container proxy = new ContainerBuilder(istioProxy())
                .editLifecycle().withNewPostStart().endPostStart().endLifecycle().build();

        assertThat(ApiServerRules.violations(pod(List.of(proxy), app()))).containsExactly(
                "initContainers[0] (istio-proxy): lifecycle.postStart must specify a handler"
                        + " (exec, httpGet, tcpSocket or sleep)");
    }

    @Test
    void rejectsALifecycleHookWithTwoHandlers() {
        Container proxy = new ContainerBuilder(istioProxy())
                .editLifecycle().editPreStop().withNewSleep(5L).endPreStop().endLifecycle().build();

        assertThat(ApiServerRules.violations(pod(List.of(proxy), app()))).containsExactly(
                "initContainers[0] (istio-proxy): lifecycle.preStop may specify only one handler,"
                        + " found exec, sleep");
    }

    @Test
    void acceptsTheDeprecatedTcpSocketHook() {
        Container proxy = new ContainerBuilder(istioProxy()).editLifecycle().withNewPreStop()
                .withNewTcpSocket().withPort(new IntOrString(15020)).endTcpSocket()
                .endPreStop().endLifecycle().build();

        assertThat(ApiServerRules.violations(pod(List.of(proxy), app()))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"livenessProbe", "startupProbe"})
    void rejectsASuccessThresholdOtherThanOneWhereFailuresRestart(String field) {
        Probe probe = new ProbeBuilder(httpProbe(15021)).withSuccessThreshold(2).build();
        ContainerBuilder proxy = new ContainerBuilder(istioProxy());
        if (field.equals("livenessProbe")) {
            proxy.withLivenessProbe(probe);
        } else {
            proxy.withStartupProbe(probe);
        }

        assertThat(ApiServerRules.violations(pod(List.of(proxy.build()), app())))
                .containsExactly("initContainers[0] (istio-proxy): " + field + ".successThreshold must be 1, got 2");
    }

    @Test
    void acceptsAReadinessSuccessThresholdAboveOne() {
        Container proxy = new ContainerBuilder(istioProxy())
                .withReadinessProbe(new ProbeBuilder(httpProbe(15021)).withSuccessThreshold(3).build()).build();

        assertThat(ApiServerRules.violations(pod(List.of(proxy), app()))).isEmpty();
    }

    @Test
    void rejectsNegativeProbeNumbers() {
        Container proxy = new ContainerBuilder(istioProxy())
                .editStartupProbe().withPeriodSeconds(-1).endStartupProbe().build();

        assertThat(ApiServerRules.violations(pod(List.of(proxy), app()))).containsExactly(
                "initContainers[0] (istio-proxy): startupProbe.periodSeconds must be non-negative, got -1");
    }

    @Test
    void acceptsZeroProbeNumbersBecauseTheApiServerDefaultsThem() {
        Container proxy = new ContainerBuilder(istioProxy()).editStartupProbe()
                .withPeriodSeconds(0).withTimeoutSeconds(0).withFailureThreshold(0).withSuccessThreshold(0)
                .endStartupProbe().build();

        assertThat(ApiServerRules.violations(pod(List.of(proxy), app()))).isEmpty();
    }

    @Test
    void rejectsATerminationGracePeriodOnAReadinessProbe() {
        Container app = new ContainerBuilder(app()).withReadinessProbe(
                new ProbeBuilder(httpProbe(8080)).withTerminationGracePeriodSeconds(10L).build()).build();

        assertThat(ApiServerRules.violations(pod(List.of(), app))).containsExactly(
                "containers[0] (app): readinessProbe.terminationGracePeriodSeconds"
                        + " must not be set for readiness probes");
    }

    @Test
    void rejectsAnExecProbeWithoutACommand() {
        Container app = new ContainerBuilder(app())
                .withLivenessProbe(new ProbeBuilder().withNewExec().endExec().build()).build();

        assertThat(ApiServerRules.violations(pod(List.of(), app)))
                .containsExactly("containers[0] (app): livenessProbe.exec.command is required");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 65536})
    void rejectsAPortNumberOutOfRange(int port) {
        Container proxy = new ContainerBuilder(istioProxy()).withStartupProbe(httpProbe(port)).build();

        assertThat(ApiServerRules.violations(pod(List.of(proxy), app()))).containsExactly(
                "initContainers[0] (istio-proxy): startupProbe.httpGet.port must be between 1 and 65535, got "
                        + port);
    }

    @Test
    void rejectsAMalformedPortName() {
        Container proxy = new ContainerBuilder(istioProxy()).editLifecycle().withNewPreStop()
                .withNewTcpSocket().withPort(new IntOrString("Admin_Port")).endTcpSocket()
                .endPreStop().endLifecycle().build();

        assertThat(ApiServerRules.violations(pod(List.of(proxy), app()))).singleElement().asString()
                .startsWith("initContainers[0] (istio-proxy): lifecycle.preStop.tcpSocket.port \"Admin_Port\""
                        + " is not a valid port name: must contain only a-z, 0-9 and '-'");
    }

    @Test
    void acceptsAWellFormedPortNameTheContainerDoesNotDeclare() {
        // validation.go checks only the syntax; the kubelet resolves the name when probing.
        Container proxy = new ContainerBuilder(istioProxy())
                .withStartupProbe(new ProbeBuilder().withNewHttpGet().withPath("/healthz/ready")
                        .withPort(new IntOrString("status-port")).endHttpGet().build()).build();

        assertThat(ApiServerRules.violations(pod(List.of(proxy), app()))).isEmpty();
    }

    @Test
    void rejectsAGrpcProbeWithoutAPort() {
        Container app = new ContainerBuilder(app())
                .withLivenessProbe(new ProbeBuilder().withNewGrpc().endGrpc().build()).build();

        assertThat(ApiServerRules.violations(pod(List.of(), app)))
                .containsExactly("containers[0] (app): livenessProbe.grpc.port must be between 1 and 65535, got 0");
    }

    @Test
    void rejectsAnUnknownHttpScheme() {
        Container app = new ContainerBuilder(app()).withReadinessProbe(
                new ProbeBuilder(httpProbe(8080)).editHttpGet().withScheme("ftp").endHttpGet().build()).build();

        assertThat(ApiServerRules.violations(pod(List.of(), app))).containsExactly(
                "containers[0] (app): readinessProbe.httpGet.scheme must be HTTP or HTTPS, got \"ftp\"");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 31})
    void rejectsASleepOutsideTheDefaultGracePeriod(long seconds) {
        Container proxy = new ContainerBuilder(istioProxy()).editLifecycle()
                .withNewPreStop().withNewSleep(seconds).endPreStop().endLifecycle().build();

        assertThat(ApiServerRules.violations(pod(List.of(proxy), app()))).containsExactly(
                "initContainers[0] (istio-proxy): lifecycle.preStop.sleep.seconds must be greater than 0"
                        + " and at most terminationGracePeriodSeconds (30), got " + seconds);
    }

    @Test
    void measuresASleepAgainstThePodsOwnGracePeriod() {
        Container proxy = new ContainerBuilder(istioProxy()).editLifecycle()
                .withNewPreStop().withNewSleep(60L).endPreStop().endLifecycle().build();
        Pod pod = pod(List.of(proxy), app());

        assertThat(ApiServerRules.violations(withGracePeriod(pod, 65L))).isEmpty();
        assertThat(ApiServerRules.violations(withGracePeriod(pod, 45L))).containsExactly(
                "initContainers[0] (istio-proxy): lifecycle.preStop.sleep.seconds must be greater than 0"
                        + " and at most terminationGracePeriodSeconds (45), got 60");
    }

    @Test
    void rejectsAPodWithoutRegularContainers() {
        Pod pod = new PodBuilder().withNewMetadata().withName("only-init").endMetadata()
                .withNewSpec().withInitContainers(istioInit()).endSpec().build();

        assertThat(ApiServerRules.violations(pod))
                .containsExactly("spec.containers: must contain at least one container");
    }

    @Test
    void rejectsANegativeTerminationGracePeriod() {
        Pod pod = withGracePeriod(pod(List.of(istioInit()), app()), -5L);

        assertThat(ApiServerRules.violations(pod))
                .containsExactly("spec.terminationGracePeriodSeconds: must be non-negative, got -5");
    }

    private static Pod pod(List<Container> initContainers, Container... containers) {
        return new PodBuilder()
                .withNewMetadata().withName("web").withNamespace("shop").endMetadata()
                .withNewSpec().withInitContainers(initContainers).withContainers(containers).endSpec()
                .build();
    }

    private static Pod withGracePeriod(Pod pod, long seconds) {
        return new PodBuilder(pod).editSpec().withTerminationGracePeriodSeconds(seconds).endSpec().build();
    }

    private static Container app() {
        return new ContainerBuilder().withName("app").withImage("nginx:1.27")
                .addNewPort().withName("http").withContainerPort(8080).endPort()
                .withReadinessProbe(new ProbeBuilder().withNewHttpGet().withPath("/")
                        .withPort(new IntOrString("http")).endHttpGet().build())
                .build();
    }

    private static Container istioInit() {
        return new ContainerBuilder().withName("istio-init").withImage("docker.io/istio/proxyv2:1.24.0")
                .withArgs("istio-iptables", "-p", "15001").build();
    }

    /** istio-proxy as Istio's native-sidecar mode emits it. */
    private static Container istioProxy() {
        return new ContainerBuilder().withName("istio-proxy").withImage("docker.io/istio/proxyv2:1.24.0")
                .withRestartPolicy("Always")
                .withStartupProbe(new ProbeBuilder(httpProbe(15021))
                        .withPeriodSeconds(1).withTimeoutSeconds(3).withFailureThreshold(600).build())
                .withReadinessProbe(new ProbeBuilder(httpProbe(15021))
                        .withPeriodSeconds(15).withTimeoutSeconds(3).withFailureThreshold(4).build())
                .withNewLifecycle().withNewPreStop().withNewExec()
                .withCommand("pilot-agent", "request", "--debug-port=15020", "POST", "drain")
                .endExec().endPreStop().endLifecycle()
                .build();
    }

    private static Probe httpProbe(int port) {
        return new ProbeBuilder().withNewHttpGet().withPath("/healthz/ready")
                .withPort(new IntOrString(port)).endHttpGet().build();
    }
}

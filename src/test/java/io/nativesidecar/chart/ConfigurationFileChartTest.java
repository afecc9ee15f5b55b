package io.nativesidecar.chart;

import com.fasterxml.jackson.databind.JsonNode;
import io.nativesidecar.profile.Configuration;
import io.nativesidecar.profile.ConfigurationFile;
import io.nativesidecar.profile.SidecarProfile;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart's {@code config} value becomes the server's configuration file: a ConfigMap in the file's
 * schema, mounted so that a change reaches the running server without a new pod.
 */
class ConfigurationFileChartTest {

    private static final String TEAM_PROFILE = """
            config:
              startupFailureThreshold: 120
              profiles:
                - name: team-agent
                  source: platform runbook
                  match:
                    images: ["*/platform/team-agent"]
                  placement: before-init
                  startupProbe:
                    periodSeconds: 2
                  preStop:
                    exec:
                      command: [team-agent, drain]
                - name: daprd
                  match:
                    names: [daprd]
                  placement: after-init
                  startupProbe: none
                  convertByDefault: true
            """;

    @Test
    void theDefaultConfigMapIsTheCatalogue() throws Exception {
        Configuration configuration = serversConfiguration(RenderedChart.defaults());
        assertThat(configuration.profiles().all()).isEqualTo(Configuration.builtIn().profiles().all());
        assertThat(configuration.startupFailureThreshold()).isEqualTo(600);
        assertThat(configuration.sidecars()).isEmpty();
    }

    @Test
    void profilesInValuesReachTheServer() throws Exception {
        Configuration configuration = serversConfiguration(RenderedChart.withValues(TEAM_PROFILE));
        SidecarProfile team = configuration.profiles().named("team-agent");
        assertThat(team.placement()).isEqualTo(SidecarProfile.DefaultPlacement.BEFORE_INIT);
        assertThat(configuration.profiles().named("daprd").convertByDefault()).isTrue();
        assertThat(configuration.startupFailureThreshold()).isEqualTo(120);
    }

    /** The Deployment does not change with the configuration: helm upgrade rolls no pod, the server reloads the file. */
    @Test
    void aChangedConfigurationRestartsNoPod() {
        JsonNode deployment = RenderedChart.defaults().one("Deployment");
        assertThat(RenderedChart.withValues(TEAM_PROFILE).one("Deployment")).isEqualTo(deployment);

        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode container = RenderedChart.defaults().container();
        assertThat(container.path("env").findValuesAsText("name"))
                .contains("NATIVESIDECAR_CONFIG").doesNotContain("NATIVESIDECAR_SIDECARS");
        String file = container.path("env").findParents("name").stream()
                .filter(env -> env.path("name").asText().equals("NATIVESIDECAR_CONFIG")).findFirst().orElseThrow()
                .path("value").asText();
        JsonNode mount = container.path("volumeMounts").findParents("name").stream()
                .filter(m -> m.path("name").asText().equals("config")).findFirst().orElseThrow();
        // A subPath mount would never see the kubelet's update of the ConfigMap.
        assertThat(mount.has("subPath")).isFalse();
        assertThat(file).isEqualTo(mount.path("mountPath").asText() + "/config.yaml");
        JsonNode volume = pod.path("volumes").findParents("name").stream()
                .filter(v -> v.path("name").asText().equals("config")).findFirst().orElseThrow();
        assertThat(volume.at("/configMap/name").asText()).isEqualTo(RenderedChart.RELEASE + "-config");
    }

    @Test
    void theSchemaRefusesAMisspeltProfileKey() {
        assertThat(RenderedChart.failureFor("config:\n  profiles:\n    - name: x\n      match: {names: [x]}\n      placment: before-init\n"))
                .contains("placment");
        assertThat(RenderedChart.failureFor("config:\n  profiles:\n    - name: x\n      match: {names: [x]}\n      placement: first\n"))
                .contains("placement");
    }

    /** Earlier chart versions had config.checkNodes: it still works, and stays out of the configuration file. */
    @Test
    void theEarlierCheckNodesValueStillWorks() throws Exception {
        RenderedChart chart = RenderedChart.withValues("config:\n  checkNodes: false\nevents:\n  enabled: false\n");
        assertThat(chart.env()).containsEntry("NATIVESIDECAR_CLUSTER_CHECK_NODES", "false");
        assertThat(chart.has("ClusterRole")).isFalse();
        assertThat(serversConfiguration(chart).profiles().all()).isEqualTo(Configuration.builtIn().profiles().all());
    }

    private static Configuration serversConfiguration(RenderedChart chart) throws Exception {
        JsonNode configMap = chart.all("ConfigMap").stream()
                .filter(c -> c.at("/metadata/name").asText().equals(RenderedChart.RELEASE + "-config")).findFirst().orElseThrow();
        return ConfigurationFile.parse("configmap", configMap.at("/data/config.yaml").asText().getBytes(StandardCharsets.UTF_8));
    }
}

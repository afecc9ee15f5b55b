package io.nativesidecar.profile;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The configuration file over the catalogue: replace in place, add in front, print what reads back the same. */
class ConfigurationFileTest {

    @Test
    void theCatalogueNamesASourceForEveryEntry() {
        List<SidecarProfile> catalogue = Configuration.builtIn().profiles().all();
        assertThat(catalogue).extracting(SidecarProfile::name).contains("istio-proxy", "linkerd-proxy", "kuma-sidecar",
                "consul-dataplane", "cloud-sql-proxy-operator", "cloud-sql-proxy", "otel-collector", "daprd",
                "gke-gcsfuse-sidecar", "vault-agent", "fluent-bit", "vector");
        assertThat(catalogue).allSatisfy(profile -> assertThat(profile.source()).as(profile.name()).isNotBlank());
        // daprd's readiness waits for the app: a startupProbe from it would keep the app from ever starting.
        assertThat(Configuration.builtIn().profiles().named("daprd").startupProbe()).isEqualTo(StartupProbeRule.NONE);
    }

    @Test
    void printedConfigurationReadsBackTheSame() throws Exception {
        Configuration catalogue = Configuration.builtIn();
        String printed = ConfigurationFile.print(catalogue);
        Configuration read = ConfigurationFile.parse("printed", printed.getBytes(StandardCharsets.UTF_8));
        assertThat(read.profiles().all()).isEqualTo(catalogue.profiles().all());
        assertThat(ConfigurationFile.print(read)).isEqualTo(printed);
    }

    @Test
    void aFileWithItsOwnProfilesPrintsAndReadsBackTheSame() throws Exception {
        Configuration configuration = ConfigurationFile.parse("file", """
                apiVersion: nativesidecar.io/v1alpha1
                kind: Configuration
                sidecars: [legacy-proxy]
                startupFailureThreshold: 90
                profiles:
                - name: team-agent
                  source: runbook
                  match: {images: ["registry.local:5000/team/agent"], namePrefixes: [agent-]}
                  placement: before-init
                  startupProbe:
                    httpGet: {path: /ready, port: "${adminPort}"}
                    periodSeconds: 2
                  startupProbeOnlyWith: readinessProbe
                  preStop: {sleep: {seconds: 5}}
                  env:
                  - {name: MODE, value: native}
                  - name: POD
                    valueFrom: {fieldRef: {fieldPath: metadata.name}}
                  parameters:
                    adminPort: {annotation: example.com/admin-port, default: "9901"}
                  recordAnnotations: [{name: example.com/injected, emptyContainers: omit}]
                  nativeSidecarAnnotations: [example.com/native]
                  convertByDefault: false
                """.getBytes(StandardCharsets.UTF_8));
        String printed = ConfigurationFile.print(configuration);
        Configuration read = ConfigurationFile.parse("printed", printed.getBytes(StandardCharsets.UTF_8));
        assertThat(read.profiles().all()).isEqualTo(configuration.profiles().all());
        assertThat(read.sidecars()).containsExactly("legacy-proxy");
        assertThat(read.startupFailureThreshold()).isEqualTo(90);
        assertThat(ConfigurationFile.print(read)).isEqualTo(printed);
    }

    @Test
    void aProfileReplacesItsNamesakeInPlaceAndNewOnesAreTriedFirst() throws Exception {
        Configuration configuration = ConfigurationFile.parse("file", """
                apiVersion: nativesidecar.io/v1alpha1
                kind: Configuration
                sidecars: [legacy-proxy]
                profiles:
                - name: vault-agent
                  match: {names: [vault-agent]}
                  convertByDefault: false
                - name: team-agent
                  match: {images: ["*/team/agent"]}
                """.getBytes(StandardCharsets.UTF_8));
        List<String> names = configuration.profiles().all().stream().map(SidecarProfile::name).toList();
        List<String> catalogue = Configuration.builtIn().profiles().all().stream().map(SidecarProfile::name).toList();
        assertThat(names.get(0)).isEqualTo("team-agent");
        assertThat(names.subList(1, names.size())).isEqualTo(catalogue);
        assertThat(configuration.profiles().named("vault-agent").convertByDefault()).isFalse();
        assertThat(configuration.profiles().named("team-agent").convertByDefault()).isTrue();
        assertThat(configuration.sidecars()).containsExactly("legacy-proxy");
        assertThat(configuration.startupFailureThreshold()).isEqualTo(600);
    }
}

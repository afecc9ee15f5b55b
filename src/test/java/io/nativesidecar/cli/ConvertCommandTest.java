package io.nativesidecar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ConvertCommandTest {

    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
            spec:
              containers:
              - name: app
                image: app
              - name: istio-proxy
                image: proxyv2
            """;
    private static final String CONFIG_MAP = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: c
            data:
              port: "8080"
              enabled: "true"
              empty: ""
              star: "*"
              multi: |
                line one
                line two
            """;

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    @Test
    void readsStdinWhenNoFileIsGiven() {
        Run run = run(POD);
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("initContainers:").contains("restartPolicy: Always");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void keepsDocumentOrderAndPassesOtherKindsThroughUnchanged() throws Exception {
        Run run = run(CONFIG_MAP + "---\n" + POD, "-o", "json");
        assertThat(run.exit()).isZero();
        var documents = new ObjectMapper().readerFor(JsonNode.class).<JsonNode>readValues(run.out()).readAll();
        assertThat(documents).extracting(d -> d.get("kind").asText()).containsExactly("ConfigMap", "Pod");
        assertThat(documents.get(0)).isEqualTo(new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(CONFIG_MAP));
    }

    @Test
    void yamlOutputReadsBackToTheSameValues() throws Exception {
        Run run = run(CONFIG_MAP);
        var yaml = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();
        assertThat(yaml.readTree(run.out())).isEqualTo(yaml.readTree(CONFIG_MAP));
    }

    @Test
    void readsJsonAndListsAndSeveralFiles() throws Exception {
        Path json = Files.writeString(dir.resolve("pod.json"), new ObjectMapper().writeValueAsString(
                new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(POD)));
        Path list = Files.writeString(dir.resolve("list.yaml"), "apiVersion: v1\nkind: List\nitems:\n"
                + POD.indent(2).replaceFirst("  apiVersion", "- apiVersion"));
        Run run = run("", "-f", json.toString(), "-f", list.toString(), "-o", "patch");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().lines()).hasSize(2);
        assertThat(run.out().lines().toList().get(0)).contains("\"path\":\"/spec/initContainers\"");
        assertThat(run.out().lines().toList().get(1)).contains("\"path\":\"/items/0/spec/initContainers\"");
    }

    @Test
    void sidecarsFlagNamesMoreSidecarsBesideTheProfiles() {
        Run run = run(POD.replace("istio-proxy", "envoy"), "--sidecars", "envoy", "--explain");
        assertThat(run.out()).contains("nativesidecar.io/converted: envoy");
        assertThat(run.err()).contains("envoy: converted to a native sidecar");
        // istio-proxy is converted by its profile, whatever the list says.
        assertThat(run(POD, "--sidecars", "envoy", "-o", "patch").out()).contains("/spec/initContainers");
    }

    @Test
    void aConfigurationFileTurnsAProfileOff() throws Exception {
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, """
                apiVersion: nativesidecar.io/v1alpha1
                kind: Configuration
                profiles:
                - name: istio-proxy
                  match: {names: [istio-proxy]}
                  meshProxy: true
                  convertByDefault: false
                """);
        assertThat(run(POD, "--config", config.toString(), "-o", "patch").out()).isEqualTo("[]\n");
        assertThat(run(POD, "--config", config.toString(), "--sidecars", "istio-proxy", "-o", "patch").out())
                .contains("/spec/initContainers");
    }

    @Test
    void aBadConfigurationFileIsExitOneWithFileLineAndField() throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, """
                apiVersion: nativesidecar.io/v1alpha1
                kind: Configuration
                profiles:
                - name: my-proxy
                  match: {names: [my-proxy]}
                  startupProbe:
                    httpGet: {path: /ready, prot: 8080}
                """);
        Run run = run(POD, "--config", config.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("convert: " + config + ": line 7: profiles[0].startupProbe.httpGet.prot: unknown field\n");
    }

    @Test
    void explainGoesToStderrOnly() {
        Run run = run(POD, "--explain");
        assertThat(run.out()).doesNotContain("effective requests");
        assertThat(run.err()).startsWith("Pod p:\n").contains("istio-proxy: converted").contains("effective requests");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "kind: Pod\nmetadata: {name: [unclosed\n",
        "{\"kind\": \"Pod\",",
        "just a string\n",
        "kind: Pod\nspec:\n  containers: 42\n"})
    void unreadableInputExitsTwoWithOneLineAndNoOutput(String input) {
        Run run = run(CONFIG_MAP + "---\n" + input);
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).singleElement().satisfies(line ->
                assertThat(line).startsWith("convert: <stdin>: document 2: "));
    }

    @Test
    void missingFileExitsTwoNamingIt() {
        Run run = run("", "-f", dir.resolve("absent.yaml").toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("absent.yaml");
    }

    @Test
    void badOptionsAreAUsageError() {
        Run run = run(POD, "-o", "xml");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anchorsAliasesAndMergeKeysAreResolvedAsKubectlWould() {
        String yaml = """
                apiVersion: v1
                kind: Pod
                metadata: {name: &n web, labels: {app: *n}}
                spec:
                  containers:
                  - &base {name: app, image: &img nginx:1.27, imagePullPolicy: Always}
                  - <<: *base
                    name: istio-proxy
                """;
        Run run = run(yaml, "-o", "json");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("\"app\" : \"web\"").doesNotContain("<<");
        assertThat(run.out().replaceAll("\\s", "")).contains("\"image\":\"nginx:1.27\",\"imagePullPolicy\":\"Always\",\"lifecycle\"");
    }

    @Test
    void stringsThatLookLikeOtherTypesStayQuoted() throws Exception {
        String values = "1e6,0x1F,1_000,.nan,-.inf,12:30,=,<<,on,yes,0o17,1.0e+3";
        StringBuilder env = new StringBuilder();
        for (String value : values.split(",")) {
            env.append("    - {name: V").append(env.length()).append(", value: \"").append(value).append("\"}\n");
        }
        String yaml = POD.replace("    image: app\n", "    image: app\n    env:\n" + env);
        Run run = run(yaml);
        var yaml11 = new org.yaml.snakeyaml.Yaml();
        java.util.Map<String, Object> pod = yaml11.load(run.out());
        var containers = (java.util.List<java.util.Map<String, Object>>) ((java.util.Map<String, Object>) pod.get("spec")).get("containers");
        var read = ((java.util.List<java.util.Map<String, Object>>) containers.get(0).get("env")).stream().map(e -> e.get("value")).toList();
        assertThat(read).containsExactly((Object[]) values.split(","));
    }

    @Test
    void emptyInputIsEmptyOutput() {
        assertThat(run("---\n# only a comment\n---\n")).isEqualTo(new Run(0, "", ""));
    }

    private static Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ConvertCommand.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}

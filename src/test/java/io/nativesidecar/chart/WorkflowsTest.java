package io.nativesidecar.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The GitHub workflows cannot run here: each must at least parse, have its jobs with steps, and
 * run what it promises (CI the README's test command, e2e the kind checks, release on tags).
 * Their schema is checked with {@code npx --yes @action-validator/cli FILE}.
 */
class WorkflowsTest {

    private static final Path WORKFLOWS = Path.of(".github/workflows");

    @Test
    void everyWorkflowParsesAndHasJobsWithSteps() throws IOException {
        Map<String, JsonNode> workflows = workflows();

        assertThat(workflows).containsKeys("ci.yaml", "e2e.yaml", "release.yaml");
        workflows.forEach((file, workflow) -> {
            assertThat(workflow.path("name").asText()).as(file).isNotBlank();
            assertThat(workflow.path("on").isMissingNode()).as("%s: on", file).isFalse();
            assertThat(workflow.path("jobs").size()).as("%s: jobs", file).isPositive();
            workflow.path("jobs").fields().forEachRemaining(job -> {
                assertThat(job.getValue().path("runs-on").asText()).as("%s: %s runs-on", file, job.getKey()).startsWith("ubuntu");
                assertThat(job.getValue().path("steps").size()).as("%s: %s steps", file, job.getKey()).isPositive();
                assertThat(job.getValue().path("timeout-minutes").asInt()).as("%s: %s timeout", file, job.getKey()).isPositive();
            });
        });
    }

    @Test
    void ciRunsTheTestCommandOnJava17() throws IOException {
        JsonNode steps = workflows().get("ci.yaml").at("/jobs/verify/steps");

        assertThat(runs(steps)).contains("./mvnw -B verify");
        JsonNode java = step(steps, "actions/setup-java");
        assertThat(java.at("/with/distribution").asText()).isEqualTo("temurin");
        assertThat(java.at("/with/java-version").asText()).isEqualTo("17");
    }

    @Test
    void e2eBuildsLoadsInstallsAndChecksOnKind() throws IOException {
        JsonNode job = workflows().get("e2e.yaml").at("/jobs/kind");
        String commands = String.join("\n", runs(job.path("steps")));

        assertThat(step(job.path("steps"), "helm/kind-action")).isNotNull();
        assertThat(commands).contains("docker build -f src/main/docker/Dockerfile.jvm", "kind load docker-image",
                "helm install native-sidecar-webhook charts/native-sidecar-webhook", "bash .github/e2e/kind.sh");
        assertThat(WebhookConfigurationTest.texts(job.at("/strategy/matrix/certificates"))).contains("selfManaged");
        String checks = Files.readString(Path.of(".github/e2e/kind.sh"));
        assertThat(checks).contains("nativesidecar.io/enabled=true", "kind: Job", "nativesidecar.io/sidecars",
                "restartPolicy", "condition=Complete", "rollout restart");
    }

    @Test
    void releasePushesImageAndChartOnVersionTags() throws IOException {
        JsonNode release = workflows().get("release.yaml");
        String commands = String.join("\n", runs(release.at("/jobs/release/steps")));

        assertThat(WebhookConfigurationTest.texts(release.at("/on/push/tags"))).containsExactly("v*");
        assertThat(release.at("/permissions/packages").asText()).isEqualTo("write");
        assertThat(step(release.at("/jobs/release/steps"), "docker/build-push-action").at("/with/push").asBoolean()).isTrue();
        assertThat(commands).contains("helm package charts/native-sidecar-webhook", "helm push");
        // The release rewrites the chart's default image to the pushed one: the line it looks for must exist.
        assertThat(Files.readAllLines(RenderedChart.CHART.resolve("values.yaml")))
                .contains("  repository: ghcr.io/nativesidecar/native-sidecar-webhook");
    }

    @Test
    void imageRunsTheFastJarAsNonRoot() throws IOException {
        String dockerfile = Files.readString(Path.of("src/main/docker/Dockerfile.jvm"));

        assertThat(dockerfile).contains("target/quarkus-app/lib/", "target/quarkus-app/app/", "target/quarkus-app/quarkus/",
                "target/quarkus-app/*.jar", "-jar /deployments/quarkus-run.jar", "$JAVA_OPTS", "-XX:MaxRAMPercentage=30", "-XX:MinRAMPercentage=30",
                "USER 10001", "EXPOSE 8443 9000");
        assertThat(RenderedChart.defaults().one("Deployment").at("/spec/template/spec/securityContext/runAsUser").asInt())
                .isEqualTo(10001);
    }

    /** The image trains its AOT caches with the flags the chart runs it with, or the caches would go unused. */
    @Test
    void theImageTrainsItsAotCachesWithTheChartsFlags() throws IOException {
        String dockerfile = Files.readString(Path.of("src/main/docker/Dockerfile.jvm"));
        assertThat(dockerfile).contains("ARG JRE=eclipse-temurin:25-jre", "FROM ${JRE} AS training", "bash /training/train.sh",
                "-XX:AOTCache=/deployments/$cache", "cache=cli.aot", "cache=server.aot");
        java.util.regex.Matcher flags = java.util.regex.Pattern.compile("ARG JVM_FLAGS=\"([^\"]+)\"").matcher(dockerfile);
        assertThat(flags.find()).isTrue();
        String chartOptions = RenderedChart.defaults().env().get("JAVA_OPTS");
        assertThat(java.util.Set.of(chartOptions.split(" "))).isEqualTo(java.util.Set.of(flags.group(1).split(" ")));
        // The Maven profile aot trains and tests with the same flags.
        java.util.regex.Matcher profile = java.util.regex.Pattern.compile("<aot.jvm.flags>([^<]+)</aot.jvm.flags>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertThat(profile.find()).isTrue();
        assertThat(java.util.Set.of(profile.group(1).split(" "))).isEqualTo(java.util.Set.of(flags.group(1).split(" ")));
    }

    /** Everything the Dockerfile copies from the build context gets past .dockerignore. */
    @Test
    void theImageBuildSeesWhatItCopies() throws IOException {
        List<String> ignore = Files.readAllLines(Path.of(".dockerignore")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        assertThat(ignore.get(0)).isEqualTo("*");
        java.util.regex.Matcher copy = java.util.regex.Pattern.compile("(?m)^COPY (?!--from)(.+) (\\S+)$")
                .matcher(Files.readString(Path.of("src/main/docker/Dockerfile.jvm")));
        int sources = 0;
        while (copy.find()) {
            for (String source : copy.group(1).trim().split("\\s+")) {
                sources++;
                assertThat(ignore).as(source).anyMatch(rule -> rule.startsWith("!")
                        && (source.equals(rule.substring(1)) || source.startsWith(rule.substring(1))));
            }
        }
        assertThat(sources).isGreaterThanOrEqualTo(6);
    }

    private static Map<String, JsonNode> workflows() throws IOException {
        Map<String, JsonNode> workflows = new TreeMap<>();
        YAMLMapper yaml = new YAMLMapper();
        try (Stream<Path> files = Files.list(WORKFLOWS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).toList()) {
                workflows.put(file.getFileName().toString(), yaml.readTree(file.toFile()));
            }
        }
        return workflows;
    }

    private static List<String> runs(JsonNode steps) {
        List<String> runs = new ArrayList<>();
        steps.forEach(step -> {
            if (step.has("run")) {
                runs.add(step.path("run").asText().strip());
            }
        });
        return runs;
    }

    private static JsonNode step(JsonNode steps, String action) {
        for (JsonNode step : steps) {
            if (step.path("uses").asText().startsWith(action + "@")) {
                return step;
            }
        }
        throw new AssertionError("no step uses " + action);
    }
}

package io.nativesidecar.chart;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/ is the chart rendered, never edited by hand: each file must equal Helm's output for its
 * values byte for byte. After changing the chart, refresh deploy/ with
 * {@value #REGENERATE} and read the diff before committing.
 */
class DeployManifestsTest {

    static final String REGENERATE = "./mvnw -B test -Ddeploy.update=true -Dtest=DeployManifestsTest";
    private static final Path DEPLOY = Path.of("deploy");
    private static final boolean UPDATE = Boolean.getBoolean("deploy.update");

    /**
     * Every file in deploy/ and the values it is rendered from (release and namespace native-sidecar-webhook):
     * the defaults, with the guard rendered (Helm cannot see a cluster here; it needs Kubernetes 1.30+).
     */
    static final Map<String, String> VARIANTS = Map.of(
            "native-sidecar-webhook.yaml", "guard:\n  renderWithoutApiCheck: true\n",
            "native-sidecar-webhook-self-managed.yaml", "guard:\n  renderWithoutApiCheck: true\ncertificates:\n  mode: selfManaged\n");

    /** With -Ddeploy.update=true: rewrite every file from the chart, then the checks below pass. */
    @BeforeAll
    static void update() throws IOException {
        if (UPDATE) {
            Files.createDirectories(DEPLOY);
            for (Map.Entry<String, String> variant : VARIANTS.entrySet()) {
                Files.writeString(DEPLOY.resolve(variant.getKey()), RenderedChart.withValues(variant.getValue()).text());
            }
        }
    }

    @Test
    void defaultsMatchTheRenderedChart() throws IOException {
        check("native-sidecar-webhook.yaml");
    }

    @Test
    void selfManagedVariantMatchesTheRenderedChart() throws IOException {
        check("native-sidecar-webhook-self-managed.yaml");
    }

    @Test
    void deployHoldsOnlyRenderedFiles() throws IOException {
        try (Stream<Path> files = Files.list(DEPLOY)) {
            List<String> names = files.map(f -> f.getFileName().toString()).sorted().toList();
            assertThat(names).as("files in deploy/: each must be rendered from the chart, listed in %s.VARIANTS",
                            DeployManifestsTest.class.getSimpleName())
                    .containsExactlyInAnyOrderElementsOf(VARIANTS.keySet());
        }
    }

    private static int firstDifferentLine(String a, String b) {
        String[] left = a.split("\n", -1);
        String[] right = b.split("\n", -1);
        int line = 0;
        while (line < left.length && line < right.length && left[line].equals(right[line])) {
            line++;
        }
        return line + 1;
    }

    private void check(String file) throws IOException {
        String rendered = RenderedChart.withValues(VARIANTS.get(file)).text();
        Path path = DEPLOY.resolve(file);
        assertThat(path).as("deploy/%s is missing: create it with %s", file, REGENERATE).exists();
        String shipped = Files.readString(path);
        assertThat(shipped)
                .as("deploy/%s differs from the chart's rendering from line %d: regenerate it with %s",
                        file, firstDifferentLine(shipped, rendered), REGENERATE)
                .isEqualTo(rendered);
    }
}

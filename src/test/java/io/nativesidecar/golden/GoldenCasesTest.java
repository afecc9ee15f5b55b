package io.nativesidecar.golden;

import com.fasterxml.jackson.databind.JsonNode;
import io.nativesidecar.cli.ConvertCommand;
import io.nativesidecar.conversion.ClusterFacts;
import io.nativesidecar.conversion.SidecarConverter;
import io.nativesidecar.profile.Configuration;
import io.nativesidecar.profile.ConfigurationFile;
import io.nativesidecar.testing.ConversionInvariants;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The specification by example: every {@code golden/<case>.yaml} is converted by the CLI path and
 * must give {@code <case>.converted.yaml} (stdout) and {@code <case>.explain.txt} (--explain)
 * byte for byte. A case with {@code <case>.config.yaml} is converted with that configuration file
 * ({@code --config}), on both paths. {@code -Dgolden.update=true} rewrites the expected files (read
 * the diff before committing); an expected or configuration file without its input fails the build.
 * Every pod in every case is also run through the webhook path and checked against
 * {@link ConversionInvariants}.
 */
class GoldenCasesTest {

    private static final Path DIR = Path.of(System.getProperty("golden.dir", "src/test/resources/golden"));
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");
    private static final String CONVERTED = ".converted.yaml";
    private static final String EXPLAIN = ".explain.txt";
    private static final String CONFIG = ".config.yaml";

    @TestFactory
    Stream<DynamicTest> goldenCases() throws IOException {
        List<Path> inputs = inputs();
        assertThat(inputs).as("golden cases in " + DIR).hasSizeGreaterThanOrEqualTo(20);
        return inputs.stream().flatMap(input -> Stream.of(
                DynamicTest.dynamicTest(caseName(input) + ": output", () -> checkOutput(input)),
                DynamicTest.dynamicTest(caseName(input) + ": webhook path", () -> checkWebhookPath(input))));
    }

    @Test
    void noOrphanExpectedFiles() throws IOException {
        List<String> orphans = new ArrayList<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                String suffix = name.endsWith(CONVERTED) ? CONVERTED : name.endsWith(EXPLAIN) ? EXPLAIN
                        : name.endsWith(CONFIG) ? CONFIG : null;
                if (suffix == null) {
                    continue;
                }
                Path input = DIR.resolve(name.substring(0, name.length() - suffix.length()) + ".yaml");
                if (!Files.exists(input)) {
                    if (UPDATE && !suffix.equals(CONFIG)) {
                        Files.delete(file);
                    } else {
                        orphans.add(name);
                    }
                }
            }
        }
        assertThat(orphans).as("expected files without an input (delete them or run with -Dgolden.update=true)").isEmpty();
    }

    private static void checkOutput(Path input) throws IOException {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("-f", input.toString(), "--explain"));
        if (Files.exists(sibling(input, CONFIG))) {
            args.addAll(List.of("--config", sibling(input, CONFIG).toString()));
        }
        int exit = ConvertCommand.run(args.toArray(String[]::new),
                new ByteArrayInputStream(new byte[0]), new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
        assertThat(exit).as("exit code; stderr: " + stderr).isZero();
        String explain = stderr.toString(StandardCharsets.UTF_8).replace(input.toString(), caseName(input) + ".yaml");
        compare(sibling(input, CONVERTED), stdout.toString(StandardCharsets.UTF_8));
        compare(sibling(input, EXPLAIN), explain);
    }

    private static void checkWebhookPath(Path input) throws Exception {
        Path config = sibling(input, CONFIG);
        SidecarConverter engine = new SidecarConverter(
                Files.exists(config) ? ConfigurationFile.load(config) : Configuration.builtIn());
        for (JsonNode document : ConversionInvariants.documents(Files.readAllBytes(input))) {
            for (JsonNode pod : ConversionInvariants.pods(document)) {
                ConversionInvariants.check(engine, ClusterFacts.CURRENT, pod);
            }
        }
    }

    private static void compare(Path expected, String actual) throws IOException {
        if (UPDATE) {
            Files.writeString(expected, actual);
            return;
        }
        assertThat(expected).as("expected file (create it with -Dgolden.update=true)").exists();
        assertThat(actual).as(expected.getFileName().toString()).isEqualTo(Files.readString(expected));
    }

    private static List<Path> inputs() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml"))
                    .filter(f -> !f.getFileName().toString().endsWith(CONVERTED))
                    .filter(f -> !f.getFileName().toString().endsWith(CONFIG))
                    .sorted()
                    .toList();
        }
    }

    private static String caseName(Path input) {
        String name = input.getFileName().toString();
        return name.substring(0, name.length() - ".yaml".length());
    }

    private static Path sibling(Path input, String suffix) {
        return input.resolveSibling(caseName(input) + suffix);
    }
}

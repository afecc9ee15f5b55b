package io.nativesidecar.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar, as users run it: {@code java -jar quarkus-run.jar convert ...} must behave
 * exactly like the command the unit tests exercise, and must not boot the server.
 */
class ConvertJarIT {

    @TempDir
    static Path files;

    private static final Path JAR = Path.of(System.getProperty("quarkus.app.dir", "target/quarkus-app"), "quarkus-run.jar");

    private record Run(int exit, String out, String err) {
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "src/test/resources/istio-vectors/old-version/hello.input.yaml",
        "src/test/resources/istio-vectors/old-version/job.input.yaml",
        "src/test/resources/istio-vectors/old-version/native-sidecar.input.yaml",
        "src/test/resources/golden/cronjob-istio-jobtemplate-status.yaml",
        "examples/deployment-cloud-sql-proxy.yaml",
        "examples/job-istio.yaml"})
    void jarOutputEqualsTheTestedCommand(String file) throws Exception {
        Run jar = jar("convert", "-f", file, "--explain");
        Run tested = inProcess("-f", file, "--explain");

        assertThat(jar.exit()).as(jar.err()).isZero();
        assertThat(jar.out()).isEqualTo(tested.out()).contains("restartPolicy: Always");
        assertThat(jar.err()).isEqualTo(tested.err());
    }

    @Test
    void doesNotStartTheServer() throws Exception {
        Run run = jar("convert", "-f", "examples/job-istio.yaml");
        assertThat(run.out() + run.err()).doesNotContain("Listening on").doesNotContain("Quarkus");
    }

    @Test
    void readsStdinAndFailsCleanlyOnBadInput() throws Exception {
        Run run = jar("convert");
        assertThat(run.exit()).isZero();
        Run bad = jarWithInput("kind: Pod\nspec: [\n", "convert");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.out()).isEmpty();
        assertThat(bad.err().lines()).singleElement().asString().startsWith("convert: <stdin>: document 1:");
    }

    private static Run jar(String... args) throws IOException, InterruptedException {
        return jarWithInput("", args);
    }

    private static Run jarWithInput(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        File out = Files.createTempFile(files, "convert", ".out").toFile();
        File err = Files.createTempFile(files, "convert", ".err").toFile();
        File in = Files.createTempFile(files, "convert", ".in").toFile();
        Files.writeString(in.toPath(), stdin);
        Process process = new ProcessBuilder(command).redirectInput(in).redirectOutput(out).redirectError(err).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("convert did not finish within 60 s");
        }
        return new Run(process.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
    }

    private static Run inProcess(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ConvertCommand.run(args, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}

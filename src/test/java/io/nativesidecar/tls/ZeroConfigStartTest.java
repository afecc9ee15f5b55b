package io.nativesidecar.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Start-up with no certificate configured must not touch Bouncy Castle: its first use costs ~0.3 s.
 * Checked in a fresh JVM, since this test JVM may have loaded it already.
 */
class ZeroConfigStartTest {

    /** What {@code Main} does before Quarkus starts when nothing is configured. */
    public static final class ZeroConfig {
        public static void main(String[] args) throws Exception {
            if (ServingCertificateSetup.apply(new Properties(), Map.of()) != ServingCertificateSetup.Choice.SELF_SIGNED) {
                System.exit(2);
            }
        }
    }

    @Test
    void generatingTheSelfSignedCertificateLoadsNoBouncyCastleClass(@TempDir Path directory) throws Exception {
        Path classes = directory.resolve("loaded-classes.txt");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:file=" + classes, "-cp", System.getProperty("java.class.path"), ZeroConfig.class.getName())
                .redirectErrorStream(true).redirectOutput(directory.resolve("output.txt").toFile()).start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        assertThat(child.exitValue()).as(Files.readString(directory.resolve("output.txt"))).isZero();

        List<String> loaded = Files.readAllLines(classes);
        // The log is the evidence: it must show the certificate being made before its silence on Bouncy Castle means anything.
        assertThat(loaded).anyMatch(line -> line.contains(" io.nativesidecar.tls.SelfSignedCertificate "));
        assertThat(loaded.stream().filter(line -> line.contains("org.bouncycastle.")).toList()).isEmpty();
    }
}

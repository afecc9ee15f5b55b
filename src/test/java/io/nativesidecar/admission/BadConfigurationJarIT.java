package io.nativesidecar.admission;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged server refuses to start with a configuration file it cannot use, and says where the problem is. */
class BadConfigurationJarIT {

    private static final Path JAR = Path.of(System.getProperty("quarkus.app.dir", "target/quarkus-app"), "quarkus-run.jar");

    @TempDir
    Path dir;

    @Test
    void exitsOneNamingFileLineAndField() throws Exception {
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, """
                apiVersion: nativesidecar.io/v1alpha1
                kind: Configuration
                startupFailureThreshold: 120
                profiles:
                - name: log-agent
                  match:
                    images: ["*/log-agent"]
                  placement: first
                """);
        Path log = dir.resolve("server.log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.ssl-port=0", "-Dquarkus.management.port=0", "-jar", JAR.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("NATIVESIDECAR_CONFIG", config.toString());
        builder.environment().put("NATIVESIDECAR_CLUSTER_ACCESS", "none");
        Process server = builder.start();
        try {
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(server.exitValue()).as(output).isEqualTo(1);
            assertThat(output).contains(config + ": line 8: profiles[0].placement: \"first\" is not one of before-init, after-init");
            assertThat(output).doesNotContain("Listening on");
        } finally {
            server.destroyForcibly();
        }
    }
}

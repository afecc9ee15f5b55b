package io.nativesidecar.admission;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nativesidecar.profile.ConfigurationFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/** A changed file that fails in any way is counted and flagged, the engine in force stays, and later checks still run. */
class CurrentEngineTest {

    @TempDir
    Path dir;

    @Test
    void anUnexpectedFailureIsCountedAndTheNextGoodChangeStillApplies() throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, "apiVersion: nativesidecar.io/v1alpha1\nkind: Configuration\nstartupFailureThreshold: 30\n");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CurrentEngine engine = new CurrentEngine(Optional.of(file), Duration.ofSeconds(10), Optional.empty(), OptionalInt.empty(),
                registry, (source, content) -> {
                    if (new String(content).contains("explode")) {
                        throw new IllegalStateException("a bug in reading");
                    }
                    return ConfigurationFile.parse(source, content);
                });
        assertThat(engine.get().configuration().startupFailureThreshold()).isEqualTo(30);

        Files.writeString(file, "# explode\n");
        engine.check();
        assertThat(registry.get("nativesidecar.config.reload.failures").counter().count()).isEqualTo(1);
        assertThat(registry.get("nativesidecar.config.file.refused").gauge().value()).isEqualTo(1);
        assertThat(engine.get().configuration().startupFailureThreshold()).isEqualTo(30);

        Files.writeString(file, "apiVersion: nativesidecar.io/v1alpha1\nkind: Configuration\nstartupFailureThreshold: 45\n");
        engine.check();
        assertThat(engine.get().configuration().startupFailureThreshold()).isEqualTo(45);
        assertThat(registry.get("nativesidecar.config.file.refused").gauge().value()).isZero();
        assertThat(registry.get("nativesidecar.config.reloads").counter().count()).isEqualTo(1);
    }
}

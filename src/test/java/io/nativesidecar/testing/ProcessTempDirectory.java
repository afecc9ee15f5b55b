package io.nativesidecar.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A temporary directory for a Quarkus test profile's configuration, which needs its path before any JUnit
 * {@code @TempDir} exists and while the application runs after the test class: removed when the test JVM exits.
 */
public final class ProcessTempDirectory {

    private ProcessTempDirectory() {
    }

    public static Path create(String prefix) {
        try {
            Path directory = Files.createTempDirectory(prefix);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(directory), "delete-" + prefix));
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            // deepest first; a symbolic link is deleted, never followed
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort at exit: what cannot be read cannot be deleted either
        }
    }
}

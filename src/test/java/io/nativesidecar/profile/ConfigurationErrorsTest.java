package io.nativesidecar.profile;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Bad configuration files by example: every {@code config-errors/<case>.yaml} is refused with the
 * message in {@code <case>.error.txt}, which names the file, the line and the field.
 * {@code -Dgolden.update=true} rewrites the messages (read the diff before committing).
 */
class ConfigurationErrorsTest {

    private static final Path DIR = Path.of("src/test/resources/config-errors");
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    @TestFactory
    Stream<DynamicTest> refusedWithFileLineAndField() throws IOException {
        List<Path> cases;
        try (Stream<Path> files = Files.list(DIR)) {
            cases = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(cases).hasSizeGreaterThanOrEqualTo(15);
        return cases.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            String source = "config-errors/" + file.getFileName();
            ConfigurationError error = catchThrowableOfType(ConfigurationError.class,
                    () -> ConfigurationFile.parse(source, Files.readAllBytes(file)));
            assertThat(error).as("refused").isNotNull();
            Path expected = Path.of(file.toString().replace(".yaml", ".error.txt"));
            if (UPDATE) {
                Files.writeString(expected, error.getMessage() + "\n");
            }
            assertThat(error.getMessage() + "\n").isEqualTo(Files.readString(expected));
            assertThat(error.getMessage()).startsWith(source + ": ");
        }));
    }
}

package io.nativesidecar.admission;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nativesidecar.config.WebhookConfig;
import io.nativesidecar.conversion.SidecarConverter;
import io.nativesidecar.profile.Configuration;
import io.nativesidecar.profile.ConfigurationError;
import io.nativesidecar.profile.ConfigurationFile;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The engine in force: the built-in catalogue with the configuration file ({@code NATIVESIDECAR_CONFIG})
 * laid over it. A bad file stops the server at start-up; later, the file is read again whenever it
 * changes (a ConfigMap update swaps its files through a symlink), and a bad version is logged and
 * counted while the last good configuration stays in force.
 */
@Startup
@ApplicationScoped
public class CurrentEngine implements Supplier<SidecarConverter> {

    private static final Logger LOG = Logger.getLogger(CurrentEngine.class);

    private final Optional<Path> file;
    private final long periodMillis;
    private final Optional<List<String>> sidecars;
    private final OptionalInt startupFailureThreshold;
    private final Reader reader;
    private final Counter reloads;
    private final Counter reloadFailures;
    /** 1 while the file on disk is one the server refused: a server starting now would not start. */
    private final AtomicInteger fileRefused = new AtomicInteger();
    private volatile SidecarConverter engine;
    private byte[] lastSeen;
    private ScheduledExecutorService scheduler;

    /** How the file's bytes become a configuration: {@link ConfigurationFile#parse}, or a stand-in in tests. */
    interface Reader {
        Configuration read(String source, byte[] content) throws ConfigurationError;
    }

    @Inject
    public CurrentEngine(WebhookConfig config, MeterRegistry registry) {
        this(config.config().map(Path::of), config.configReloadPeriod(), config.sidecars(), config.startupFailureThreshold(),
                registry, ConfigurationFile::parse);
    }

    CurrentEngine(Optional<Path> file, Duration reloadPeriod, Optional<List<String>> sidecars,
                  OptionalInt startupFailureThreshold, MeterRegistry registry, Reader reader) {
        this.file = file;
        this.periodMillis = Math.max(100, reloadPeriod.toMillis());
        this.sidecars = sidecars;
        this.startupFailureThreshold = startupFailureThreshold;
        this.reader = reader;
        this.reloads = Counter.builder("nativesidecar.config.reloads")
                .description("Changes of the configuration file put in force").register(registry);
        this.reloadFailures = Counter.builder("nativesidecar.config.reload.failures")
                .description("Changed configuration files refused; the last good configuration stays in force")
                .register(registry);
        Gauge.builder("nativesidecar.config.file.refused", fileRefused, AtomicInteger::get)
                .description("1 while the configuration file on disk is one that was refused (a server starting now would exit)")
                .register(registry);
        byte[] content = file.map(CurrentEngine::read).orElse(null);
        try {
            if (file.isPresent() && content == null) {
                ConfigurationFile.load(file.get());   // says why it cannot be read
            }
            this.engine = new SidecarConverter(configuration(content));
        } catch (ConfigurationError e) {
            LOG.errorf("the configuration file cannot be used, not starting: %s", e.getMessage());
            throw new BadConfiguration(e.getMessage());
        }
        this.lastSeen = content;
        for (String gone : List.of("NATIVESIDECAR_MESH_PROXIES", "NATIVESIDECAR_MESH_SETUP_CONTAINERS")) {
            if (System.getenv(gone) != null) {
                LOG.warnf("%s is no longer read: a mesh proxy and its setup containers are a sidecar profile "
                        + "(meshProxy, setupContainers) in the configuration file", gone);
            }
        }
        Configuration configuration = engine.configuration();
        LOG.infof("configuration: %d sidecar profiles%s", configuration.profiles().all().size(),
                file.map(f -> ", the built-in catalogue with " + f + " laid over it (checked every "
                        + periodMillis / 1000.0 + " s)").orElse(" (the built-in catalogue)"));
    }

    /** The configuration file cannot be used: the message says where and why; the server does not start. */
    public static final class BadConfiguration extends RuntimeException {
        BadConfiguration(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public SidecarConverter get() {
        return engine;
    }

    void start(@Observes StartupEvent started) {
        if (file.isEmpty()) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "configuration-file");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::check, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** Reads the file again; a changed, valid one replaces the engine. */
    void check() {
        byte[] content = read(file.orElseThrow());
        if (content == null || Arrays.equals(content, lastSeen)) {
            return;
        }
        lastSeen = content;
        try {
            engine = new SidecarConverter(configuration(content));
            fileRefused.set(0);
            reloads.increment();
            LOG.infof("configuration file %s changed: %d sidecar profiles in force", file.get(),
                    engine.configuration().profiles().all().size());
        } catch (Throwable e) {
            // Caught whole: anything leaving this task would cancel every later check, silently.
            fileRefused.set(1);
            reloadFailures.increment();
            LOG.errorf("configuration file changed, but cannot be used; the last good configuration stays in force: %s",
                    e instanceof ConfigurationError ? e.getMessage() : e.toString());
        }
    }

    private Configuration configuration(byte[] content) throws ConfigurationError {
        Configuration configuration = Configuration.builtIn();
        if (file.isPresent()) {
            if (content == null) {
                throw new ConfigurationError(file.get() + ": cannot read it");
            }
            configuration = reader.read(file.get().toString(), content);
        }
        // The environment variables of earlier versions keep working, and win over the file.
        if (sidecars.isPresent()) {
            configuration = configuration.withSidecars(sidecars.get());
        }
        if (startupFailureThreshold.isPresent()) {
            configuration = configuration.withStartupFailureThreshold(startupFailureThreshold.getAsInt());
        }
        return configuration;
    }

    /** The file's bytes, or null when it cannot be read (e.g. mid-swap; the next check sees it). */
    private static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            return null;
        }
    }
}

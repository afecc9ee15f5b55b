package io.nativesidecar.memory;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import io.nativesidecar.config.WebhookConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Gives memory the server no longer uses back to the operating system, which the JVM's defaults
 * leave to command-line flags that a plain {@code java -jar} does not carry. Measured under the
 * hello load with {@code -Xmx256m}: G1 kept a 150 MiB heap for a ~30 MiB live set, and glibc kept
 * ~35 MiB that the JIT compilers' arenas had freed (peak 48 MiB during warm-up).
 * <ul>
 * <li>Heap: {@code MinHeapFreeRatio}/{@code MaxHeapFreeRatio} 10/30 instead of 40/70, so that a
 * collection shrinks the heap to what is live plus 30 %; G1 still grows it when collections take
 * too much time. {@code G1PeriodicGCInterval}: an idle server returns heap (JEP 346).</li>
 * <li>Native: {@code System.trim_native_heap} every period (what {@code -XX:TrimNativeHeapInterval}
 * does on newer JDKs).</li>
 * </ul>
 * All of it runs on its own thread once the server has started (it costs ~0.3 s of CPU to set up,
 * which start-up does not wait for), after one collection that drops the start-up garbage.
 * Each setting is applied only where the JVM still has its default: an operator's flag wins.
 */
@ApplicationScoped
public class MemoryReturn {

    private static final Logger LOG = Logger.getLogger(MemoryReturn.class);
    /** The settings applied where the JVM has its default; the order matters (min may not exceed max). */
    static final Map<String, String> HEAP_SETTINGS = orderedSettings();

    private final WebhookConfig.Memory config;
    private ScheduledExecutorService scheduler;

    public MemoryReturn(WebhookConfig config) {
        this.config = config.memory();
    }

    void start(@Observes StartupEvent started) {
        if (!config.returnToOs()) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "memory-return");
            thread.setDaemon(true);
            thread.setPriority(Thread.MIN_PRIORITY);
            return thread;
        });
        scheduler.schedule(this::setUp, config.startDelay().toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private void setUp() {
        try {
            List<String> applied = applyHeapSettings(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class),
                    config.idleCollection().toMillis());
            if (!applied.isEmpty()) {
                // The heap shrinks at a collection: drop the start-up garbage once, now, rather than
                // keeping the start-up heap until the first concurrent cycle (which under a steady load
                // may never come).
                System.gc();
            }
            NativeHeapTrim trim = NativeHeapTrim.create(ManagementFactory.getPlatformMBeanServer());
            if (trim != null) {
                trim.run();
                long period = Math.max(1000, config.trimPeriod().toMillis());
                scheduler.scheduleWithFixedDelay(trim, period, period, TimeUnit.MILLISECONDS);
                applied.add("System.trim_native_heap every " + config.trimPeriod().toSeconds() + " s");
            }
            LOG.infof("returning unused memory to the OS: %s", applied.isEmpty() ? "nothing to set (JVM flags given)" : applied);
        } catch (RuntimeException | LinkageError e) {
            LOG.warnf("cannot set up returning unused memory to the OS: %s", e.toString());
        }
    }

    /** Sets each heap option the JVM still has at its default; returns what it set, as {@code name=value}. */
    static List<String> applyHeapSettings(HotSpotDiagnosticMXBean jvm, long idleCollectionMillis) {
        List<String> applied = new ArrayList<>();
        for (Map.Entry<String, String> setting : HEAP_SETTINGS.entrySet()) {
            set(jvm, setting.getKey(), setting.getValue(), applied);
        }
        if (idleCollectionMillis > 0) {
            set(jvm, "G1PeriodicGCInterval", Long.toString(idleCollectionMillis), applied);
        }
        return applied;
    }

    private static void set(HotSpotDiagnosticMXBean jvm, String name, String value, List<String> applied) {
        VMOption option;
        try {
            option = jvm.getVMOption(name);
        } catch (IllegalArgumentException unknown) {
            return; // not this JVM's option (e.g. G1's under another collector)
        }
        if (option.getOrigin() != VMOption.Origin.DEFAULT || !option.isWriteable()) {
            return;
        }
        jvm.setVMOption(name, value);
        applied.add(name + "=" + value);
    }

    private static Map<String, String> orderedSettings() {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("MinHeapFreeRatio", "10");
        settings.put("MaxHeapFreeRatio", "30");
        return java.util.Collections.unmodifiableMap(settings);
    }

    /** {@code System.trim_native_heap} through the DiagnosticCommand MBean (JDK 17.0.9+, glibc). */
    record NativeHeapTrim(MBeanServer server, ObjectName diagnostics) implements Runnable {

        static final String OPERATION = "systemTrimNativeHeap";

        /** The trim, or null when this JVM cannot trim (older JDK, or the operator set TrimNativeHeapInterval). */
        static NativeHeapTrim create(MBeanServer server) {
            try {
                HotSpotDiagnosticMXBean jvm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
                if (!"0".equals(option(jvm, "TrimNativeHeapInterval", "0"))) {
                    return null;
                }
                ObjectName diagnostics = new ObjectName("com.sun.management:type=DiagnosticCommand");
                for (var operation : server.getMBeanInfo(diagnostics).getOperations()) {
                    if (OPERATION.equals(operation.getName())) {
                        return new NativeHeapTrim(server, diagnostics);
                    }
                }
                return null;
            } catch (javax.management.JMException e) {
                return null;
            }
        }

        private static String option(HotSpotDiagnosticMXBean jvm, String name, String absent) {
            try {
                return jvm.getVMOption(name).getValue();
            } catch (IllegalArgumentException unknown) {
                return absent;
            }
        }

        @Override
        public void run() {
            try {
                LOG.debugf("%s", trim());
            } catch (javax.management.JMException | RuntimeException e) {
                LOG.debugf("native heap trim failed: %s", e.toString());
            }
        }

        /** Trims once; the JVM's report, e.g. {@code Trim native heap: RSS+Swap: 325M->292M (-34000K)}. */
        String trim() throws javax.management.JMException {
            return String.valueOf(server.invoke(diagnostics, OPERATION, new Object[0], new String[0]));
        }
    }
}

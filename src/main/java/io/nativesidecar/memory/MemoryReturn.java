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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Gives memory the server no longer uses back to the operating system, which the JVM's defaults
 * leave to command-line flags that a plain {@code java -jar} does not carry. Measured under the
 * hello load with {@code -Xmx256m}: glibc kept ~35 MiB that the JIT compilers' arenas had freed
 * (peak 48 MiB during warm-up), and G1 kept the ~150 MiB heap of start-up for a ~20 MiB live set.
 * <ul>
 * <li>Native: {@code System.trim_native_heap} every period (what the flag
 * {@code -XX:TrimNativeHeapInterval} does, JDK 17.0.9+; when the flag is set, the server leaves it to the JVM).</li>
 * <li>Heap: one collection once started, which drops the start-up garbage and lets G1 shrink the
 * heap (G1 grows it again under load, as its pause-time goal asks), but not below the size from which G1
 * would grow it by ~100 MiB at once ({@link HeapFloor}), and {@code G1PeriodicGCInterval}
 * so that an idle server returns heap (JEP 346; G1 only: under Serial GC, which the JVM picks in a small
 * container, the collection after start-up is what shrinks the heap). The heap free ratios are not
 * lowered: 10/30 % shrank the heap at every concurrent cycle and cost a quarter of the throughput with
 * sixteen 1 MiB reviews in flight.</li>
 * </ul>
 * All of it runs on its own thread after start-up (setting it up costs ~0.25 s of CPU, the
 * management beans, which start-up does not wait for). Options an operator set on the command line keep their values.
 */
@ApplicationScoped
public class MemoryReturn {

    private static final Logger LOG = Logger.getLogger(MemoryReturn.class);
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
            HotSpotDiagnosticMXBean jvm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            List<String> applied = applyHeapSettings(jvm, config.idleCollection().toMillis());
            if (!flag(jvm, "DisableExplicitGC")) {
                // The heap shrinks at a collection: drop the start-up garbage once, now, rather than keep
                // the start-up heap until a concurrent cycle comes (under a steady light load it may never).
                System.gc();
                applied.add("one collection after start-up");
                String floor = HeapFloor.keep(jvm, ManagementFactory.getMemoryMXBean()::getHeapMemoryUsage, System::gc);
                if (floor != null) {
                    applied.add(floor);
                }
            }
            NativeHeapTrim trim = NativeHeapTrim.create(ManagementFactory.getPlatformMBeanServer());
            if (trim != null) {
                trim.run();
                long period = Math.max(1000, config.trimPeriod().toMillis());
                scheduler.scheduleWithFixedDelay(trim, period, period, TimeUnit.MILLISECONDS);
                applied.add("System.trim_native_heap every " + config.trimPeriod().toSeconds() + " s");
            }
            LOG.infof("returning unused memory to the OS: %s", applied);
        } catch (RuntimeException | LinkageError e) {
            LOG.warnf("cannot set up returning unused memory to the OS: %s", e.toString());
        }
    }

    /**
     * Sets the heap options the JVM still has at their defaults; returns what it set, as {@code name=value}.
     * The idle collection is G1's: HotSpot knows the option under every collector, so ask which one runs
     * (in a container with one CPU or less than ~1.8 GiB the JVM picks Serial, which has none).
     */
    static List<String> applyHeapSettings(HotSpotDiagnosticMXBean jvm, long idleCollectionMillis) {
        List<String> applied = new ArrayList<>();
        if (idleCollectionMillis > 0 && flag(jvm, "UseG1GC")) {
            set(jvm, "G1PeriodicGCInterval", Long.toString(idleCollectionMillis), applied);
        }
        return applied;
    }

    private static boolean flag(HotSpotDiagnosticMXBean jvm, String name) {
        try {
            return Boolean.parseBoolean(jvm.getVMOption(name).getValue());
        } catch (IllegalArgumentException unknown) {
            return false;
        }
    }

    private static void set(HotSpotDiagnosticMXBean jvm, String name, String value, List<String> applied) {
        VMOption option;
        try {
            option = jvm.getVMOption(name);
        } catch (IllegalArgumentException unknown) {
            return; // not this JVM's option
        }
        if (option.getOrigin() != VMOption.Origin.DEFAULT || !option.isWriteable()) {
            return;
        }
        jvm.setVMOption(name, value);
        applied.add(name + "=" + value);
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

package io.nativesidecar.memory;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import org.junit.jupiter.api.Test;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class MemoryReturnTest {

    /** A JVM whose options are a map; records the order in which options are set. */
    static final class FakeJvm implements HotSpotDiagnosticMXBean {
        final Map<String, VMOption> options = new HashMap<>();
        final List<String> set = new ArrayList<>();

        FakeJvm option(String name, String value, VMOption.Origin origin) {
            options.put(name, new VMOption(name, value, true, origin));
            return this;
        }

        @Override
        public VMOption getVMOption(String name) {
            VMOption option = options.get(name);
            if (option == null) {
                throw new IllegalArgumentException("VM option \"" + name + "\" does not exist");
            }
            return option;
        }

        @Override
        public void setVMOption(String name, String value) {
            getVMOption(name);
            if (name.equals("MaxHeapFreeRatio") && Integer.parseInt(value) < Integer.parseInt(getVMOption("MinHeapFreeRatio").getValue())) {
                throw new IllegalArgumentException("MaxHeapFreeRatio must be at least MinHeapFreeRatio");
            }
            options.put(name, new VMOption(name, value, true, VMOption.Origin.MANAGEMENT));
            set.add(name + "=" + value);
        }

        @Override
        public void dumpHeap(String file, boolean live) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<VMOption> getDiagnosticOptions() {
            return List.copyOf(options.values());
        }

        @Override
        public ObjectName getObjectName() {
            return null;
        }
    }

    @Test
    void defaultsAreReplacedMinimumFirst() {
        FakeJvm jvm = new FakeJvm()
                .option("MinHeapFreeRatio", "40", VMOption.Origin.DEFAULT)
                .option("MaxHeapFreeRatio", "70", VMOption.Origin.DEFAULT)
                .option("G1PeriodicGCInterval", "0", VMOption.Origin.DEFAULT);

        List<String> applied = MemoryReturn.applyHeapSettings(jvm, 60_000);

        // Setting the maximum first (30 < the default minimum 40) would be refused by the JVM.
        assertThat(jvm.set).containsExactly("MinHeapFreeRatio=10", "MaxHeapFreeRatio=30", "G1PeriodicGCInterval=60000");
        assertThat(applied).isEqualTo(jvm.set);
    }

    @Test
    void anOperatorsFlagWins() {
        FakeJvm jvm = new FakeJvm()
                .option("MinHeapFreeRatio", "20", VMOption.Origin.VM_CREATION)
                .option("MaxHeapFreeRatio", "70", VMOption.Origin.DEFAULT)
                .option("G1PeriodicGCInterval", "5000", VMOption.Origin.VM_CREATION);

        assertThat(MemoryReturn.applyHeapSettings(jvm, 60_000)).containsExactly("MaxHeapFreeRatio=30");
        assertThat(jvm.getVMOption("MinHeapFreeRatio").getValue()).isEqualTo("20");
        assertThat(jvm.getVMOption("G1PeriodicGCInterval").getValue()).isEqualTo("5000");
    }

    @Test
    void optionsThisJvmDoesNotHaveAreSkippedAndZeroMeansNoIdleCollection() {
        FakeJvm jvm = new FakeJvm()
                .option("MinHeapFreeRatio", "40", VMOption.Origin.DEFAULT)
                .option("MaxHeapFreeRatio", "70", VMOption.Origin.DEFAULT);

        assertThat(MemoryReturn.applyHeapSettings(jvm, 60_000)).containsExactly("MinHeapFreeRatio=10", "MaxHeapFreeRatio=30");
        assertThat(MemoryReturn.applyHeapSettings(new FakeJvm().option("G1PeriodicGCInterval", "0", VMOption.Origin.DEFAULT), 0))
                .isEmpty();
    }

    @Test
    void theRealJvmAcceptsTheSettings() {
        // The option names and their order must suit an actual HotSpot, not only the fake.
        HotSpotDiagnosticMXBean jvm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        assumeTrue(jvm.getVMOption("MaxHeapFreeRatio").getOrigin() == VMOption.Origin.DEFAULT);
        String min = jvm.getVMOption("MinHeapFreeRatio").getValue();
        String max = jvm.getVMOption("MaxHeapFreeRatio").getValue();
        try {
            assertThat(MemoryReturn.applyHeapSettings(jvm, 0)).contains("MinHeapFreeRatio=10", "MaxHeapFreeRatio=30");
            assertThat(jvm.getVMOption("MaxHeapFreeRatio").getValue()).isEqualTo("30");
        } finally {
            jvm.setVMOption("MaxHeapFreeRatio", max);
            jvm.setVMOption("MinHeapFreeRatio", min);
        }
    }

    @Test
    void theNativeHeapIsTrimmedWhereTheJvmCan() throws Exception {
        // JDK 17.0.9+ on glibc has System.trim_native_heap; elsewhere create() says so with null.
        MemoryReturn.NativeHeapTrim trim = MemoryReturn.NativeHeapTrim.create(ManagementFactory.getPlatformMBeanServer());
        assumeTrue(trim != null, "this JVM cannot trim its native heap");
        assertThat(trim.trim()).startsWith("Trim native heap: RSS+Swap: ");
    }
}

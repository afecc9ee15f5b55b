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

    /** A JVM whose options are a map; records what is set. */
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
    void theIdleCollectionIsSetWhereTheJvmHasItsDefault() {
        FakeJvm jvm = g1().option("G1PeriodicGCInterval", "0", VMOption.Origin.DEFAULT);

        assertThat(MemoryReturn.applyHeapSettings(jvm, 60_000)).containsExactly("G1PeriodicGCInterval=60000");
        assertThat(jvm.getVMOption("G1PeriodicGCInterval").getValue()).isEqualTo("60000");
    }

    @Test
    void anOperatorsFlagWins() {
        FakeJvm jvm = g1().option("G1PeriodicGCInterval", "5000", VMOption.Origin.VM_CREATION);

        assertThat(MemoryReturn.applyHeapSettings(jvm, 60_000)).isEmpty();
        assertThat(jvm.set).isEmpty();
    }

    @Test
    void anotherCollectorAndZeroMeanNothingToSet() {
        // HotSpot knows G1's options under Serial GC too (as the JVM picks in a small container): setting
        // one there would be logged as done and do nothing.
        FakeJvm serial = new FakeJvm().option("UseG1GC", "false", VMOption.Origin.ERGONOMIC)
                .option("G1PeriodicGCInterval", "0", VMOption.Origin.DEFAULT);
        assertThat(MemoryReturn.applyHeapSettings(serial, 60_000)).isEmpty();
        assertThat(serial.set).isEmpty();
        assertThat(MemoryReturn.applyHeapSettings(g1().option("G1PeriodicGCInterval", "0", VMOption.Origin.DEFAULT), 0)).isEmpty();
    }

    private static FakeJvm g1() {
        return new FakeJvm().option("UseG1GC", "true", VMOption.Origin.ERGONOMIC);
    }

    @Test
    void theRealJvmAcceptsTheSetting() {
        // The option name must suit an actual HotSpot, not only the fake.
        HotSpotDiagnosticMXBean jvm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        assumeTrue(Boolean.parseBoolean(jvm.getVMOption("UseG1GC").getValue()), "the tests do not run on G1");
        VMOption before = jvm.getVMOption("G1PeriodicGCInterval");
        assumeTrue(before.getOrigin() == VMOption.Origin.DEFAULT);
        try {
            assertThat(MemoryReturn.applyHeapSettings(jvm, 3_600_000)).containsExactly("G1PeriodicGCInterval=3600000");
            assertThat(jvm.getVMOption("G1PeriodicGCInterval").getValue()).isEqualTo("3600000");
        } finally {
            jvm.setVMOption("G1PeriodicGCInterval", before.getValue());
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

package io.nativesidecar.memory;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import io.nativesidecar.memory.MemoryReturnTest.FakeJvm;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class HeapFloorTest {

    private static final long MIB = 1 << 20;

    /** G1 with -Xmx256m on a large machine: the initial heap is the maximum; the ratios are the JVM's. */
    private static FakeJvm g1() {
        return new FakeJvm()
                .option("UseG1GC", "true", VMOption.Origin.ERGONOMIC)
                .option("InitialHeapSize", Long.toString(256 * MIB), VMOption.Origin.ERGONOMIC)
                .option("MinHeapSize", Long.toString(8 * MIB), VMOption.Origin.ERGONOMIC)
                .option("MinHeapFreeRatio", "40", VMOption.Origin.DEFAULT)
                .option("MaxHeapFreeRatio", "70", VMOption.Origin.DEFAULT);
    }

    private static MemoryUsage heap(long usedMib, long committedMib) {
        return new MemoryUsage(-1, usedMib * MIB, committedMib * MIB, 256 * MIB);
    }

    @Test
    void theFloorIsJustOverAQuarterOfTheInitialHeap() {
        assertThat(HeapFloor.floor(256 * MIB)).isEqualTo(68 * MIB);
        assertThat(HeapFloor.floor(376 * MIB)).isGreaterThan(376 * MIB / 4);
    }

    /** The heap as a collection leaves it: each collection takes the next figure. */
    private static final class Heap {
        private final MemoryUsage[] states;
        private int collections;

        Heap(MemoryUsage... states) {
            this.states = states;
        }

        MemoryUsage now() {
            return states[Math.min(collections, states.length - 1)];
        }

        Runnable collect(FakeJvm jvm, List<String> ratiosAtCollection) {
            return () -> {
                ratiosAtCollection.add(jvm.getVMOption("MinHeapFreeRatio").getValue() + "/"
                        + jvm.getVMOption("MaxHeapFreeRatio").getValue());
                collections++;
            };
        }
    }

    @Test
    void aHeapUnderTheFloorIsCollectedWithTheRatiosOfTheFloorAndMinHeapFreeRatioGoesBack() {
        FakeJvm jvm = g1();
        List<String> atCollection = new ArrayList<>();
        Heap heap = new Heap(heap(13, 50), heap(13, 70));

        // 13 MiB live of a 68 MiB floor: 81 % of it free (rounded up, so that the heap is at least the floor).
        String done = HeapFloor.keep(jvm, heap::now, heap.collect(jvm, atCollection));

        assertThat(done).isEqualTo("heap kept at >= 68 MiB, 70 MiB now (MaxHeapFreeRatio=81)");
        assertThat(atCollection).containsExactly("81/81");
        assertThat(jvm.set).containsExactly("MaxHeapFreeRatio=81", "MinHeapFreeRatio=81", "MinHeapFreeRatio=40");
        assertThat(jvm.getVMOption("MaxHeapFreeRatio").getValue()).isEqualTo("81");
    }

    @Test
    void aHeapThatG1MadeFarFromTheFloorIsCorrectedOnceFromWhatG1CountedAsUsed() {
        FakeJvm jvm = g1();
        List<String> atCollection = new ArrayList<>();
        // 8 MiB in use, but G1 counts whole regions: 89 % free gave 100 MiB, so it counted 11 MiB;
        // 85 % free of the floor and a sixteenth (72 MiB) leaves those 11.
        Heap heap = new Heap(heap(8, 40), heap(8, 100), heap(8, 73));

        String done = HeapFloor.keep(jvm, heap::now, heap.collect(jvm, atCollection));

        assertThat(atCollection).containsExactly("89/89", "85/85");
        assertThat(done).isEqualTo("heap kept at >= 68 MiB, 73 MiB now (MaxHeapFreeRatio=85)");
        assertThat(jvm.getVMOption("MinHeapFreeRatio").getValue()).isEqualTo("40");
        assertThat(jvm.getVMOption("MaxHeapFreeRatio").getValue()).isEqualTo("85");
    }

    @Test
    void aHeapThatG1MadeSmallerThanTheFloorIsCorrectedUpwards() {
        FakeJvm jvm = g1();
        List<String> atCollection = new ArrayList<>();
        // Under the floor G1 would grow the heap by half the rest at once: 81 % gave 62 MiB, so 84 %.
        Heap heap = new Heap(heap(13, 50), heap(13, 62), heap(13, 73));

        assertThat(HeapFloor.keep(jvm, heap::now, heap.collect(jvm, atCollection)))
                .isEqualTo("heap kept at >= 68 MiB, 73 MiB now (MaxHeapFreeRatio=84)");
        assertThat(atCollection).containsExactly("81/81", "84/84");
    }

    @Test
    void minHeapFreeRatioGoesBackWhenTheCollectionFails() {
        FakeJvm jvm = g1();
        try {
            HeapFloor.keep(jvm, () -> heap(13, 50), () -> {
                throw new IllegalStateException("no collection");
            });
        } catch (IllegalStateException expected) {
            // as thrown
        }
        assertThat(jvm.getVMOption("MinHeapFreeRatio").getValue()).isEqualTo("40");
    }

    @Test
    void aHeapAtTheFloorIsLeftAlone() {
        FakeJvm jvm = g1();
        assertThat(HeapFloor.keep(jvm, () -> heap(13, 68), () -> {
            throw new AssertionError("collected");
        })).isNull();
        assertThat(HeapFloor.keep(jvm, () -> heap(69, 69), () -> {
            throw new AssertionError("collected");
        })).isNull();
        assertThat(jvm.set).isEmpty();
    }

    @Test
    void theOperatorsSizingAndOtherCollectorsAreLeftAlone() {
        Runnable fail = () -> {
            throw new AssertionError("collected");
        };
        FakeJvm xms = g1().option("InitialHeapSize", Long.toString(256 * MIB), VMOption.Origin.VM_CREATION);
        FakeJvm ratio = g1().option("MaxHeapFreeRatio", "50", VMOption.Origin.VM_CREATION);
        FakeJvm toolOptions = g1().option("MinHeapFreeRatio", "20", VMOption.Origin.ENVIRON_VAR);
        FakeJvm serial = g1().option("UseG1GC", "false", VMOption.Origin.ERGONOMIC);
        for (FakeJvm jvm : List.of(xms, ratio, toolOptions, serial)) {
            assertThat(HeapFloor.keep(jvm, () -> heap(13, 50), fail)).isNull();
            assertThat(jvm.set).isEmpty();
        }
    }

    @Test
    void theRealJvmHasTheOptionsWithTheseOrigins() {
        // The names must be an actual HotSpot's, and the ratios, left at their defaults, writeable.
        HotSpotDiagnosticMXBean jvm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        assumeTrue(Boolean.parseBoolean(jvm.getVMOption("UseG1GC").getValue()), "the tests do not run on G1");
        assertThat(Long.parseLong(jvm.getVMOption("InitialHeapSize").getValue())).isPositive();
        assertThat(Long.parseLong(jvm.getVMOption("MinHeapSize").getValue())).isPositive();
        for (String ratio : List.of("MinHeapFreeRatio", "MaxHeapFreeRatio")) {
            assertThat(jvm.getVMOption(ratio).getOrigin()).isEqualTo(VMOption.Origin.DEFAULT);
            assertThat(jvm.getVMOption(ratio).isWriteable()).isTrue();
        }
    }
}

package io.nativesidecar.memory;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;

import java.lang.management.MemoryUsage;
import java.util.function.Supplier;

/**
 * Keeps G1's heap, after the collection that follows start-up, just above a quarter of the initial heap size.
 * <p>
 * G1 grows the heap after a young collection when its pauses take more than a share of the time, and that
 * share is scaled down while the heap is below half of its maximum, so a small heap is quick to grow. The
 * step is what matters: when the heap is below a quarter of {@code InitialHeapSize}, G1 grows it by half
 * the difference at once. With {@code -Xmx256m} on a machine with more than 16 GiB the initial size is the
 * maximum, 256 MiB: the gc+ergo+heap log shows a 50 MiB heap growing by 103 MiB under the first seconds
 * of load, to 153 MiB, where it stays (it shrinks only at a full collection or a concurrent cycle, which
 * a steady load does not bring). Above that quarter, G1 grows in steps of at most a fifth of what is left.
 * Measured under 30 s of the hello load with {@code -Xmx256m}: with a 68 MiB floor the heap was 79 MiB after
 * the collection (G1 counts partly filled regions as full) and grew once, to 87 MiB.
 * <p>
 * The heap is sized at a full collection from the live data and the free ratios: at least
 * {@code MinHeapFreeRatio} and at most {@code MaxHeapFreeRatio} percent of it free. So the floor is set by
 * one more collection with both ratios at the share of the floor that is free; {@code MaxHeapFreeRatio}
 * keeps that value, so that the concurrent cycle of an idle server does not shrink the heap below the
 * floor again while the live data stays what it was after start-up; {@code MinHeapFreeRatio} goes back to
 * its value, or the next concurrent cycle would grow the heap to it.
 * <p>
 * Only under G1, and only when the operator set none of {@code -Xms}, {@code MinHeapFreeRatio} and
 * {@code MaxHeapFreeRatio}: sizing the heap is then theirs.
 */
final class HeapFloor {

    private HeapFloor() {
    }

    /** The floor for an initial heap size: a quarter, plus a little so that rounding does not take it under. */
    static long floor(long initialHeapSize) {
        return initialHeapSize / 4 + initialHeapSize / 64;
    }

    /**
     * After a full collection: if the heap is under the floor, sets the free ratios and runs {@code collect}
     * once more. Returns what it did, for the log, or null when there was nothing to do.
     */
    static String keep(HotSpotDiagnosticMXBean jvm, Supplier<MemoryUsage> heap, Runnable collect) {
        if (!jvmSizesTheHeap(jvm)) {
            return null;
        }
        long floor = floor(Long.parseLong(jvm.getVMOption("InitialHeapSize").getValue()));
        MemoryUsage usage = heap.get();
        if (usage.getCommitted() >= floor || usage.getUsed() >= floor) {
            return null;
        }
        int free = (int) Math.min(99, Math.ceil(100.0 * (floor - usage.getUsed()) / floor));
        int minFree = Integer.parseInt(jvm.getVMOption("MinHeapFreeRatio").getValue());
        int maxFree = Math.max(free, Integer.parseInt(jvm.getVMOption("MaxHeapFreeRatio").getValue()));
        // HotSpot checks min <= max at each change: the maximum first.
        jvm.setVMOption("MaxHeapFreeRatio", Integer.toString(maxFree));
        jvm.setVMOption("MinHeapFreeRatio", Integer.toString(free));
        try {
            collect.run();
        } finally {
            jvm.setVMOption("MinHeapFreeRatio", Integer.toString(minFree));
        }
        return "heap kept at >= " + (floor >> 20) + " MiB (MaxHeapFreeRatio=" + maxFree + ")";
    }

    private static boolean jvmSizesTheHeap(HotSpotDiagnosticMXBean jvm) {
        try {
            return Boolean.parseBoolean(jvm.getVMOption("UseG1GC").getValue())
                    && !operatorSet(jvm.getVMOption("InitialHeapSize"))
                    && !operatorSet(jvm.getVMOption("MinHeapSize"))
                    && isDefaultAndWriteable(jvm.getVMOption("MinHeapFreeRatio"))
                    && isDefaultAndWriteable(jvm.getVMOption("MaxHeapFreeRatio"));
        } catch (IllegalArgumentException unknown) {
            return false; // not a HotSpot that has these options
        }
    }

    private static boolean operatorSet(VMOption option) {
        return option.getOrigin() != VMOption.Origin.DEFAULT && option.getOrigin() != VMOption.Origin.ERGONOMIC;
    }

    private static boolean isDefaultAndWriteable(VMOption option) {
        return option.getOrigin() == VMOption.Origin.DEFAULT && option.isWriteable();
    }
}

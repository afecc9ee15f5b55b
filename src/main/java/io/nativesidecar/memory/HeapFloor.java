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
 * a steady load does not bring). Above that quarter, G1 grows in proportion to how far its pauses are over
 * their share: ~8 MiB at a time under a steady load, though up to ~70 MiB when they take ~10 % of the time,
 * as on cold code (which is why the floor is set after the warm-up, see {@code MemoryReturn}'s start delay).
 * Measured under 30 s of the hello load with {@code -Xmx256m}: with a 68 MiB floor the heap was 69-75 MiB
 * after the collections and grew in steps of 8 MiB to 85-92 MiB; RSS peaked at 237-241 MiB, against
 * 284-316 MiB with the 150 MiB heap that the big step left.
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
     * once more, and a third time if G1 made it smaller than the floor or larger by an eighth: it sizes the heap from
     * the regions in use, which are more than the bytes in use by the partly filled ones (with 8 MiB live
     * a first try gave 100 MiB for a 68 MiB floor). Returns what it did, for the log, or null when there
     * was nothing to do.
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
        int minFree = Integer.parseInt(jvm.getVMOption("MinHeapFreeRatio").getValue());
        int maxFree = Integer.parseInt(jvm.getVMOption("MaxHeapFreeRatio").getValue());
        int free = freeShare(usage.getUsed(), floor);
        try {
            setRatios(jvm, free, Math.max(free, maxFree));
            collect.run();
            long committed = heap.get().getCommitted();
            if (committed < floor || committed > floor + floor / 8) {
                // What G1 counted as used, from what it made of the ratio: committed * (1 - free); aimed a
                // little over the floor, as under it G1 would grow the heap by half the rest at once.
                int corrected = freeShare(committed * (100 - free) / 100, floor + floor / 16);
                if (corrected != free) {
                    free = corrected;
                    setRatios(jvm, free, Math.max(free, maxFree));
                    collect.run();
                }
            }
        } finally {
            setRatios(jvm, minFree, Math.max(free, maxFree));
        }
        return "heap kept at >= " + (floor >> 20) + " MiB, " + (heap.get().getCommitted() >> 20)
                + " MiB now (MaxHeapFreeRatio=" + Math.max(free, maxFree) + ")";
    }

    /** The share of a heap of size {@code floor} that is free when {@code used} is in use, rounded up. */
    private static int freeShare(long used, long floor) {
        return (int) Math.max(0, Math.min(99, Math.ceil(100.0 * (floor - used) / floor)));
    }

    /** HotSpot checks min <= max at each change: the one that moves away from the other goes first. */
    private static void setRatios(HotSpotDiagnosticMXBean jvm, int min, int max) {
        if (min > Integer.parseInt(jvm.getVMOption("MaxHeapFreeRatio").getValue())) {
            set(jvm, "MaxHeapFreeRatio", max);
            set(jvm, "MinHeapFreeRatio", min);
        } else {
            set(jvm, "MinHeapFreeRatio", min);
            set(jvm, "MaxHeapFreeRatio", max);
        }
    }

    private static void set(HotSpotDiagnosticMXBean jvm, String name, int value) {
        if (!jvm.getVMOption(name).getValue().equals(Integer.toString(value))) {
            jvm.setVMOption(name, Integer.toString(value));
        }
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

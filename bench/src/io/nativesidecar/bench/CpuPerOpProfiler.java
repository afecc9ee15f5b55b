package io.nativesidecar.bench;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * CPU time per operation, for a machine whose CPUs other processes share: wall-clock ops/s then measure the share of
 * the CPU the fork got as much as the code, CPU time per op much less so. {@code -prof io.nativesidecar.bench.CpuPerOpProfiler}
 * adds {@code cpu.worker} (ns of CPU of the benchmark threads per op) and {@code cpu.process} (ns of CPU of the whole
 * fork per op: also the JIT compilers and the GC) to every iteration.
 */
public final class CpuPerOpProfiler implements InternalProfiler {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private long process;
    private List<Thread> workers = List.of();
    private long worker;

    @Override
    public String getDescription() {
        return "CPU time per op: benchmark threads and whole process";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        // The workers exist before the first iteration starts (JMH starts them once per fork).
        List<Thread> found = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().contains("jmh-worker")) {
                found.add(t);
            }
        }
        workers = found;
        worker = workerCpu();
        process = OS.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        long processCpu = OS.getProcessCpuTime() - process;
        long workerCpu = workerCpu() - worker;
        long ops = result.getMetadata().getMeasuredOps();
        if (ops <= 0) {
            return List.of();
        }
        List<Result> results = new ArrayList<>();
        results.add(new ScalarResult("cpu.process", (double) processCpu / ops, "ns/op", AggregationPolicy.AVG));
        if (!workers.isEmpty()) {
            results.add(new ScalarResult("cpu.worker", (double) workerCpu / ops, "ns/op", AggregationPolicy.AVG));
        }
        return results;
    }

    private long workerCpu() {
        long sum = 0;
        for (Thread t : workers) {
            long ns = THREADS.getThreadCpuTime(t.getId());
            sum += Math.max(ns, 0);
        }
        return sum;
    }
}

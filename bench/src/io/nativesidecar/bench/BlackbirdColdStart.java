package io.nativesidecar.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nativesidecar.admission.AdmissionMetrics;
import io.nativesidecar.admission.AdmissionPath;
import io.nativesidecar.admission.BenchAccess;
import io.nativesidecar.admission.PodAdmission;
import io.nativesidecar.cluster.ClusterFactsSource;
import io.nativesidecar.conversion.SidecarConverter;
import io.nativesidecar.profile.Configuration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The cold cost of Jackson's Blackbird module (bench/README.md): in a fresh JVM, the time of the first
 * {@link AdmissionPath#answer(byte[])} with the product's mapper or with BlackbirdModule registered on it.
 * The review is read from a file (AdmissionPathBenchmark --write-reviews), so that nothing before the first answer
 * has used Jackson's databind or the Pod model.
 * <p>Usage: {@code BlackbirdColdStart plain|blackbird REVIEW.json [REVIEWS]}: prints one line, times in ms:
 * {@code setup} (engine, metrics, path, and the module's registration), {@code first} (the first answer),
 * {@code second}, {@code rest} (answers 3..REVIEWS, default 20, as the server's warm-up).
 */
public final class BlackbirdColdStart {

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        String mapper = args[0];
        byte[] review = Files.readAllBytes(Path.of(args[1]));
        int reviews = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        if (mapper.equals("blackbird")) {
            BenchAccess.blackbird();
        } else if (!mapper.equals("plain")) {
            throw new IllegalArgumentException("mapper: plain or blackbird, not " + mapper);
        }
        SidecarConverter engine = new SidecarConverter(Configuration.builtIn());
        AdmissionMetrics metrics = new AdmissionMetrics(new SimpleMeterRegistry(), 64, List.of("istio-proxy"));
        AdmissionPath path = new AdmissionPath(new PodAdmission(engine, new ClusterFactsSource(), metrics, true), metrics);
        long t1 = System.nanoTime();
        byte[] first = path.answer(review);
        long t2 = System.nanoTime();
        byte[] second = path.answer(review);
        long t3 = System.nanoTime();
        for (int i = 2; i < reviews; i++) {
            path.answer(review);
        }
        long t4 = System.nanoTime();
        if (first == null || second == null || first.length != second.length) {
            throw new IllegalStateException("no answer, or two different answers");
        }
        System.out.printf("mapper=%s setup=%.1f first=%.1f second=%.2f rest=%.1f answer_bytes=%d%n", mapper,
                (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6, first.length);
    }
}

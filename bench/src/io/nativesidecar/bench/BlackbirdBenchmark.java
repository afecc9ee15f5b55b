package io.nativesidecar.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nativesidecar.admission.AdmissionAnswer;
import io.nativesidecar.admission.AdmissionMetrics;
import io.nativesidecar.admission.AdmissionPath;
import io.nativesidecar.admission.AdmissionRequest;
import io.nativesidecar.admission.AdmissionReviewReader;
import io.nativesidecar.admission.AdmissionReviewWriter;
import io.nativesidecar.admission.BadReview;
import io.nativesidecar.admission.BenchAccess;
import io.nativesidecar.admission.PodAdmission;
import io.nativesidecar.cluster.ClusterFactsSource;
import io.nativesidecar.conversion.SidecarConverter;
import io.nativesidecar.profile.Configuration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where the time of {@link AdmissionPath#answer(byte[])} goes, and what Jackson's Blackbird module would change
 * (issue 12, item 7; bench/README.md). Every benchmark x pod x mapper runs in a fork of its own, so the mapper
 * ({@code plain}: the product's; {@code blackbird}: the same with {@code BlackbirdModule} registered first thing in
 * the fork) never shares a JVM, nor its JIT profile, with the other.
 *
 * <ul>
 *   <li>{@code answer}: the whole path, as {@link AdmissionPathBenchmark#ours()}.</li>
 *   <li>{@code read}: {@link AdmissionReviewReader#read(byte[])} alone, bytes to the Pod model.</li>
 *   <li>{@code decide}: {@link PodAdmission#decide} alone on a review read once (the engine + PodPatch's bytes).</li>
 *   <li>{@code write}: {@link AdmissionReviewWriter#write} alone, of that decision's answer.</li>
 * </ul>
 * Run by bench/run-blackbird.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BlackbirdBenchmark {

    @Param({"istio", "big"})
    public String pod;

    @Param({"plain", "blackbird"})
    public String mapper;

    private byte[] review;
    private AdmissionPath path;
    private AdmissionReviewReader reader;
    private PodAdmission admission;
    private AdmissionRequest request;
    private AdmissionReviewWriter writer;
    private AdmissionAnswer answer;

    @Setup
    public void setup() throws BadReview {
        if (mapper.equals("blackbird")) {
            BenchAccess.blackbird();
        } else if (!mapper.equals("plain")) {
            throw new IllegalArgumentException("mapper: plain or blackbird, not " + mapper);
        }
        review = AdmissionPathBenchmark.review(pod);
        SidecarConverter engine = new SidecarConverter(Configuration.builtIn());
        AdmissionMetrics metrics = new AdmissionMetrics(new SimpleMeterRegistry(), 64, List.of("istio-proxy"));
        admission = new PodAdmission(engine, new ClusterFactsSource(), metrics, true);
        path = new AdmissionPath(admission, metrics);
        reader = new AdmissionReviewReader(BenchAccess.mapper());
        request = reader.read(review);
        writer = new AdmissionReviewWriter();
        answer = admission.decide(request);
        if (!java.util.Arrays.equals(answer.patch(), decide().patch())) {
            throw new IllegalStateException("deciding the same review twice gave two patches: decide() is not repeatable");
        }
        AdmissionPathBenchmark.checkSameOutcome(pod + "/" + mapper, review, List.of(answer(), write()));
    }

    @Benchmark
    public byte[] answer() throws BadReview {
        return path.answer(review);
    }

    @Benchmark
    public AdmissionRequest read() throws BadReview {
        return reader.read(review);
    }

    @Benchmark
    public AdmissionAnswer decide() {
        return admission.decide(request);
    }

    @Benchmark
    public byte[] write() {
        return writer.write(answer);
    }
}

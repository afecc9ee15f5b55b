package io.nativesidecar.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.zjsonpatch.JsonPatch;
import io.javaoperatorsdk.webhook.admission.AdmissionController;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nativesidecar.admission.AdmissionMetrics;
import io.nativesidecar.admission.AdmissionPath;
import io.nativesidecar.admission.BadReview;
import io.nativesidecar.admission.PodAdmission;
import io.nativesidecar.cluster.ClusterFactsSource;
import io.nativesidecar.conversion.ClusterFacts;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The whole admission path, request bytes to response bytes without HTTP, ours against the framework default.
 *
 * <ul>
 *   <li>{@code ours}: {@link AdmissionPath#answer(byte[])} as the server wires it (reader straight into the Pod
 *       model, the engine, {@code PodPatch}, the streaming writer, metrics on a {@link SimpleMeterRegistry}).</li>
 *   <li>{@code framework}: what Quarkus REST + Jackson and kubernetes-webhooks-framework-core 3.0.0 do for
 *       {@code FrameworkBaselineResource}: the body bound to fabric8's {@link AdmissionReview} by a Jackson
 *       {@link ObjectMapper} (request.object becomes a {@link Pod} through fabric8's KubernetesDeserializer),
 *       {@link AdmissionController#handle} with the same engine as its Mutator (which clones the pod through JSON and
 *       diffs the two trees with zjsonpatch), and the response review serialized to bytes.</li>
 * </ul>
 *
 * {@code pod=istio} is the review of Istio's injected "hello" pod ({@code istio-vectors/old-version/native-sidecar.input.yaml},
 * the same pod as {@link EngineBenchmark}); {@code pod=big} the review of its ~1 MiB pod (40 containers x 300 env
 * vars). At setup both paths must answer with patches that, applied to the pod sent, give the same pod.
 * Run through {@code bench/run-path.sh}; {@code --write-reviews DIR} writes the review bodies (also used by
 * {@code bench/run-server.sh}), {@code --check-answers REVIEW ANSWER...} checks answers of the servers.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AdmissionPathBenchmark {

    /** Binds and writes like Quarkus REST's Jackson provider would for the baseline (plain databind defaults). */
    private static final ObjectMapper JSON = new ObjectMapper();

    @Param({"istio", "big"})
    public String pod;

    private byte[] review;
    private AdmissionPath ours;
    private AdmissionController<Pod> framework;

    @Setup
    public void setup() throws BadReview {
        review = review(pod);
        SidecarConverter engine = new SidecarConverter(Configuration.builtIn());
        AdmissionMetrics metrics = new AdmissionMetrics(new SimpleMeterRegistry(), 64, List.of("istio-proxy"));
        ours = new AdmissionPath(new PodAdmission(engine, new ClusterFactsSource(), metrics, true), metrics);
        framework = new AdmissionController<Pod>((p, operation) -> engine.convert(p, ClusterFacts.CURRENT).pod());
        checkSameOutcome(pod, review, List.of(ours(), framework()));
    }

    @Benchmark
    public byte[] ours() throws BadReview {
        return ours.answer(review);
    }

    @Benchmark
    public byte[] framework() {
        try {
            AdmissionReview bound = JSON.readValue(review, AdmissionReview.class);
            return JSON.writeValueAsBytes(framework.handle(bound));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The AdmissionReview an API server sends when a pod is created in an opted-in namespace. */
    static byte[] review(String kind) {
        Pod pod = EngineBenchmark.pod(kind);
        ObjectNode review = JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request").put("uid", "705ab4f5-6393-11e8-b7cc-42010a800002");
        request.putObject("kind").put("group", "").put("version", "v1").put("kind", "Pod");
        request.putObject("resource").put("group", "").put("version", "v1").put("resource", "pods");
        request.putObject("requestKind").put("group", "").put("version", "v1").put("kind", "Pod");
        request.putObject("requestResource").put("group", "").put("version", "v1").put("resource", "pods");
        request.put("name", pod.getMetadata().getName()).put("namespace", "bench").put("operation", "CREATE");
        ObjectNode user = request.putObject("userInfo")
                .put("username", "system:serviceaccount:kube-system:replicaset-controller")
                .put("uid", "c6d2a9b0-0e3b-4d7c-9a35-6f1b2f0c9e11");
        user.putArray("groups").add("system:serviceaccounts").add("system:serviceaccounts:kube-system")
                .add("system:authenticated");
        request.set("object", JSON.valueToTree(pod));
        request.putNull("oldObject");
        request.put("dryRun", false);
        request.putObject("options").put("apiVersion", "meta.k8s.io/v1").put("kind", "CreateOptions");
        try {
            return JSON.writeValueAsBytes(review);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every answer must allow the pod with a JSON Patch under the review's uid, and the patches applied to the pod
     * that was sent must all give the same (converted) pod.
     */
    static void checkSameOutcome(String label, byte[] review, List<byte[]> answers) {
        try {
            JsonNode request = JSON.readTree(review).path("request");
            JsonNode sent = request.get("object");
            JsonNode first = null;
            for (int i = 0; i < answers.size(); i++) {
                JsonNode response = JSON.readTree(answers.get(i)).path("response");
                if (!response.path("uid").asText().equals(request.path("uid").asText())
                        || !response.path("allowed").asBoolean(false)
                        || !"JSONPatch".equals(response.path("patchType").asText())
                        || !response.path("patch").isTextual()) {
                    throw new IllegalStateException(label + ": answer " + i + " is not an allowing JSON Patch for the review: "
                            + response);
                }
                JsonNode patch = JSON.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
                JsonNode patched = JsonPatch.apply(patch, sent.deepCopy());
                if (patched.equals(sent)) {
                    throw new IllegalStateException(label + ": answer " + i + " does not change the pod");
                }
                if (first == null) {
                    first = patched;
                } else if (!patched.equals(first)) {
                    throw new IllegalStateException(label + ": answer " + i + " gives another pod than answer 0");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code --write-reviews DIR}: writes {@code hello.review.json} and {@code big.review.json} to DIR.
     * {@code --check-answers REVIEW ANSWER...}: exit 1 unless the answers agree as in the benchmark's setup.
     * Otherwise runs JMH with the arguments.
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--write-reviews")) {
            Path dir = Files.createDirectories(Path.of(args[1]));
            for (String kind : List.of("istio", "big")) {
                byte[] body = review(kind);
                Path file = dir.resolve((kind.equals("istio") ? "hello" : kind) + ".review.json");
                Files.write(file, body);
                System.err.printf("%s: %,d bytes (%.2f MiB)%n", file, body.length, body.length / 1048576.0);
            }
            return;
        }
        if (args.length >= 3 && args[0].equals("--check-answers")) {
            byte[] body = Files.readAllBytes(Path.of(args[1]));
            List<byte[]> answers = new java.util.ArrayList<>();
            for (int i = 2; i < args.length; i++) {
                answers.add(Files.readAllBytes(Path.of(args[i])));
            }
            try {
                checkSameOutcome(args[1], body, answers);
            } catch (RuntimeException e) {
                System.err.println("answers disagree: " + e.getMessage());
                System.exit(1);
            }
            System.err.println(args[1] + ": " + answers.size() + " answers, same patched pod");
            return;
        }
        org.openjdk.jmh.Main.main(args);
    }
}

package io.nativesidecar.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.zjsonpatch.JsonDiff;
import io.fabric8.zjsonpatch.JsonPatch;
import io.nativesidecar.conversion.ClusterFacts;
import io.nativesidecar.conversion.ConversionResult;
import io.nativesidecar.conversion.PodPatch;
import io.nativesidecar.conversion.SidecarConverter;
import io.nativesidecar.policy.Annotations;
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
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The conversion engine's cost per pod, against a naive approach as baseline.
 *
 * <ul>
 *   <li>{@code convert}: {@link SidecarConverter#convert} alone (the engine shares everything it does not change).</li>
 *   <li>{@code convertPatchBytes}: convert, build the JSON Patch with {@link PodPatch} and serialize it to bytes:
 *       what the webhook does once the AdmissionReview is parsed.</li>
 *   <li>{@code naiveDeepCopy}: baseline, only a deep copy of the pod through a JSON tree
 *       ({@code valueToTree} then {@code treeToValue}), the usual first step of a mutate-in-place webhook.</li>
 *   <li>{@code naiveCopyConvertDiffBytes}: baseline pipeline producing the same patch the naive way: deep copy,
 *       convert the copy, turn the result into a tree and diff the two trees with zjsonpatch
 *       {@link JsonDiff#asJson}, then serialize the patch. Compare it with {@code convertPatchBytes}.</li>
 * </ul>
 *
 * {@code pod=istio} is Istio's injected "hello" pod (istio-vectors/old-version/native-sidecar.input.yaml);
 * {@code pod=big} is a generated ~1 MiB pod: 40 containers x 300 env vars, three of them sidecars.
 * Run through {@code bench/run-engine.sh}; {@code EngineBenchmark --pod-sizes} prints the pods' JSON sizes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EngineBenchmark {

    static final String ISTIO_POD = "istio-vectors/old-version/native-sidecar.input.yaml";
    static final int BIG_CONTAINERS = 40;
    static final int BIG_ENV_VARS = 300;
    /** Length of each generated env value, chosen so that the big pod's JSON is about 1 MiB. */
    static final int BIG_ENV_VALUE_LENGTH = 49;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Param({"istio", "big"})
    public String pod;

    private Pod input;
    private SidecarConverter engine;
    private PodPatch patches;

    @Setup
    public void setup() {
        input = pod(pod);
        engine = new SidecarConverter(Configuration.builtIn());
        patches = new PodPatch(JSON);
        checkSameOutcome();
    }

    @Benchmark
    public ConversionResult convert() {
        return engine.convert(input, ClusterFacts.CURRENT);
    }

    @Benchmark
    public byte[] convertPatchBytes() throws IOException {
        ConversionResult result = engine.convert(input, ClusterFacts.CURRENT);
        return JSON.writeValueAsBytes(patches.of(result));
    }

    @Benchmark
    public Pod naiveDeepCopy() throws IOException {
        return JSON.treeToValue(JSON.valueToTree(input), Pod.class);
    }

    @Benchmark
    public byte[] naiveCopyConvertDiffBytes() throws IOException {
        JsonNode before = JSON.valueToTree(input);
        Pod copy = JSON.treeToValue(before, Pod.class);
        ConversionResult result = engine.convert(copy, ClusterFacts.CURRENT);
        JsonNode after = JSON.valueToTree(result.pod());
        return JSON.writeValueAsBytes(JsonDiff.asJson(before, after));
    }

    /** Both pipelines must convert the pod and, applied to it, their patches must give the same pod. */
    private void checkSameOutcome() {
        try {
            ConversionResult result = engine.convert(input, ClusterFacts.CURRENT);
            if (!result.changed() || result.report().converted().isEmpty()) {
                throw new IllegalStateException(pod + ": the engine converted nothing: " + result.report());
            }
            // Trees read back from bytes: valueToTree keeps Long fields as LongNode, parsing gives IntNode.
            JsonNode original = JSON.readTree(JSON.writeValueAsBytes(input));
            JsonNode expected = JSON.readTree(JSON.writeValueAsBytes(result.pod()));
            JsonNode byEngine = JsonPatch.apply(JSON.readTree(convertPatchBytes()), original);
            JsonNode byNaive = JsonPatch.apply(JSON.readTree(naiveCopyConvertDiffBytes()), original);
            if (!byEngine.equals(expected) || !byNaive.equals(expected)) {
                throw new IllegalStateException(pod + ": the engine's patch and the naive diff disagree");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Pod pod(String kind) {
        return switch (kind) {
            case "istio" -> istioPod();
            case "big" -> bigPod();
            default -> throw new IllegalArgumentException("unknown pod " + kind);
        };
    }

    /** Istio's "hello" pod as injected for classic sidecars, read from the test resources. */
    static Pod istioPod() {
        try (InputStream in = EngineBenchmark.class.getClassLoader().getResourceAsStream(ISTIO_POD)) {
            byte[] yaml = in != null ? in.readAllBytes()
                    : Files.readAllBytes(Path.of("src/test/resources").resolve(ISTIO_POD));
            return JSON.treeToValue(new YAMLMapper().readTree(yaml), Pod.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * 40 containers with 300 env vars each; log-shipper and metrics-agent are sidecars by annotation,
     * istio-proxy by default, and istio-init is the mesh's setup init container.
     */
    static Pod bigPod() {
        List<Container> containers = new ArrayList<>();
        for (int c = 0; c < BIG_CONTAINERS; c++) {
            String name = switch (c) {
                case 7 -> "log-shipper";
                case 23 -> "metrics-agent";
                case BIG_CONTAINERS - 1 -> "istio-proxy";
                default -> String.format("app-%02d", c);
            };
            ContainerBuilder container = new ContainerBuilder()
                    .withName(name)
                    .withImage("registry.example.com/team/" + name + ":1.2." + c)
                    .withArgs("--config", "/etc/" + name + "/config.yaml")
                    .addNewPort().withName("http").withContainerPort(8000 + c).endPort()
                    .withNewResources()
                        .addToRequests("cpu", new Quantity("100m")).addToRequests("memory", new Quantity("128Mi"))
                        .addToLimits("memory", new Quantity("256Mi"))
                    .endResources()
                    .withEnv(env(c));
            if (name.equals("metrics-agent") || name.equals("istio-proxy")) {
                container.withNewReadinessProbe()
                        .withNewHttpGet().withPath("/ready").withNewPort(name.equals("istio-proxy") ? 15021 : 8000 + c).endHttpGet()
                        .withPeriodSeconds(5).withTimeoutSeconds(3)
                        .endReadinessProbe();
            }
            containers.add(container.build());
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(Annotations.SIDECARS, "log-shipper,metrics-agent");
        annotations.put("sidecar.istio.io/status", "{\"initContainers\":[\"istio-init\"],\"containers\":[\"istio-proxy\"],"
                + "\"volumes\":[\"istio-envoy\",\"istio-data\"],\"imagePullSecrets\":null,\"revision\":\"default\"}");
        return new PodBuilder()
                .withNewMetadata().withName("big").withNamespace("bench").withAnnotations(annotations).endMetadata()
                .withNewSpec()
                    .addNewInitContainer().withName("istio-init").withImage("docker.io/istio/proxyv2:1.24.0")
                        .withArgs("istio-iptables", "-p", "15001").endInitContainer()
                    .withContainers(containers)
                .endSpec()
                .build();
    }

    private static List<EnvVar> env(int container) {
        List<EnvVar> env = new ArrayList<>(BIG_ENV_VARS);
        for (int i = 0; i < BIG_ENV_VARS; i++) {
            String prefix = String.format("c%02d-v%03d-", container, i);
            env.add(new EnvVar(String.format("APP_%02d_VAR_%03d", container, i),
                    prefix + "x".repeat(BIG_ENV_VALUE_LENGTH - prefix.length()), null));
        }
        return env;
    }

    /** With {@code --pod-sizes}, prints each pod's JSON size to stderr; otherwise runs JMH with the arguments. */
    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--pod-sizes")) {
            for (String kind : List.of("istio", "big")) {
                Pod pod = pod(kind);
                int bytes = JSON.writeValueAsBytes(pod).length;
                System.err.printf("pod=%s: %d containers, %d init containers, JSON %,d bytes (%.2f MiB)%n", kind,
                        pod.getSpec().getContainers().size(), pod.getSpec().getInitContainers().size(),
                        bytes, bytes / 1048576.0);
            }
            return;
        }
        org.openjdk.jmh.Main.main(args);
    }
}

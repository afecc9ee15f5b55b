package io.nativesidecar.conversion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.zjsonpatch.JsonPatch;
import io.nativesidecar.report.ConversionReport;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PodPatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PodPatch PATCHES = new PodPatch(JSON);
    private static int seed = 1;

    @Test
    void unchangedPodGivesAnEmptyPatch() {
        Pod pod = pod(containers("a", "b"), List.of(), Map.of("k", "v"));
        assertThat(PATCHES.of(new ConversionResult(pod, pod, new ConversionReport(List.of())))).isEmpty();
    }

    @Test
    void keysWithSlashesAndTildesAreEscaped() throws Exception {
        Pod before = pod(containers("a"), List.of(), Map.of("x", "1"));
        Pod after = withAnnotations(before, Map.of("x", "1", "a/b~c", "2"));
        ArrayNode patch = PATCHES.of(new ConversionResult(before, after, new ConversionReport(List.of())));
        assertThat(patch.toString()).contains("/metadata/annotations/a~1b~0c");
        assertApplies(before, after, patch);
    }

    @Test
    void anAnnotationSetToNullIsReplacedWithNullNotLeftWithoutAValue() throws Exception {
        Pod before = pod(containers("a"), List.of(), Map.of("x", "1"));
        Map<String, String> annotations = new java.util.HashMap<>();
        annotations.put("x", null);
        Pod after = withAnnotations(before, annotations);
        ConversionResult result = new ConversionResult(before, after, new ConversionReport(List.of()));
        // An add or replace without "value" is not a valid operation (RFC 6902 4.1, 4.3).
        assertThat(new String(PATCHES.bytes(result), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("[{\"op\":\"replace\",\"path\":\"/metadata/annotations/x\",\"value\":null}]");
        assertThat(PATCHES.of(result).get(0).has("value")).isTrue();
    }

    @Test
    void annotationsAreAddedWholeWhenThePodHadNone() throws Exception {
        Pod before = pod(containers("a"), List.of(), null);
        Pod after = withAnnotations(before, Map.of("nativesidecar.io/converted", "a"));
        ArrayNode patch = PATCHES.of(new ConversionResult(before, after, new ConversionReport(List.of())));
        assertThat(patch).hasSize(1);
        assertThat(patch.get(0).get("path").asText()).isEqualTo("/metadata/annotations");
        assertApplies(before, after, patch);
    }

    @Test
    void reorderingKeepsTheLongestOrderedRunAndMovesOnlyTheRest() throws Exception {
        Pod before = pod(containers("app"), containers("user-init", "istio-init"), Map.of());
        List<Container> init = before.getSpec().getInitContainers();
        Pod after = withSpec(before, before.getSpec().getContainers(), List.of(init.get(1), init.get(0)));
        ArrayNode patch = PATCHES.of(new ConversionResult(before, after, new ConversionReport(List.of())));
        assertThat(patch).as("one remove and one add").hasSize(2);
        assertApplies(before, after, patch);
    }

    /** Random removals, insertions and reorderings of both lists: the patch must always reproduce the result. */
    @RepeatedTest(300)
    void randomListChangesApply() throws Exception {
        Random random = new Random(seed++);
        Pod before = pod(containers(names("c", 1 + random.nextInt(6))), containers(names("i", random.nextInt(5))),
                random.nextBoolean() ? null : Map.of("x", "1"));
        // The engine shares unchanged containers with the original, so the test works on the pod's own.
        List<Container> containers = before.getSpec().getContainers();
        List<Container> init = before.getSpec().getInitContainers();

        List<Container> keptContainers = new ArrayList<>(containers);
        List<Container> moved = new ArrayList<>();
        while (keptContainers.size() > 1 && random.nextBoolean()) {
            moved.add(keptContainers.remove(random.nextInt(keptContainers.size())));
        }
        List<Container> newInit = new ArrayList<>(init);
        if (random.nextBoolean()) {
            Collections.shuffle(newInit, random);
        }
        for (Container container : moved) {
            Container copy = new ContainerBuilder(container).withRestartPolicy("Always").build();
            newInit.add(random.nextInt(newInit.size() + 1), copy);
        }
        Pod after = withSpec(before, keptContainers, newInit);
        after = withAnnotations(after, Map.of("x", "2", "nativesidecar.io/converted", "z"));
        if (random.nextBoolean()) {
            after.getSpec().setTerminationGracePeriodSeconds(65L);
        }
        ArrayNode patch = PATCHES.of(new ConversionResult(before, after, new ConversionReport(List.of())));
        assertThat(patch).allSatisfy(op -> assertThat(op.get("op").asText()).isIn("add", "remove", "replace"));
        assertApplies(before, after, patch);
    }

    private static void assertApplies(Pod before, Pod after, ArrayNode patch) throws Exception {
        JsonNode patched = JsonPatch.apply(patch, JSON.valueToTree(before));
        assertThat(JSON.treeToValue(patched, Pod.class)).isEqualTo(after);
    }

    private static Pod pod(List<Container> containers, List<Container> init, Map<String, String> annotations) {
        return new PodBuilder().withNewMetadata().withName("p").withAnnotations(annotations).endMetadata()
                .withNewSpec().withContainers(containers).withInitContainers(init).endSpec().build();
    }

    private static Pod withSpec(Pod pod, List<Container> containers, List<Container> init) {
        Pod copy = ShallowCopy.of(pod);
        PodSpec spec = ShallowCopy.of(pod.getSpec());
        spec.setContainers(containers);
        spec.setInitContainers(init);
        copy.setSpec(spec);
        return copy;
    }

    private static Pod withAnnotations(Pod pod, Map<String, String> annotations) {
        Pod copy = ShallowCopy.of(pod);
        ObjectMeta metadata = ShallowCopy.of(pod.getMetadata());
        metadata.setAnnotations(new LinkedHashMap<>(annotations));
        copy.setMetadata(metadata);
        return copy;
    }

    private static String[] names(String prefix, int count) {
        String[] names = new String[count];
        for (int i = 0; i < count; i++) {
            names[i] = prefix + i;
        }
        return names;
    }

    private static List<Container> containers(String... names) {
        List<Container> containers = new ArrayList<>();
        for (String name : names) {
            containers.add(new ContainerBuilder().withName(name).withImage("img/" + name).build());
        }
        return containers;
    }
}

package io.nativesidecar.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The least a {@code convert} run does, for bench/run-convert-floor.sh: read one workload manifest's YAML, bind its
 * pod template to fabric8's Pod model, move the last container to the init containers with
 * {@code restartPolicy: Always}, and write the manifest back as YAML. No catalogue, no rules, no argument parsing,
 * no logging set-up; the class path holds Jackson, SnakeYAML and fabric8's model only.
 * <p>Usage: {@code ConvertFloor MANIFEST.yaml} (a workload with {@code spec.template.spec}).
 */
public final class ConvertFloor {

    private ConvertFloor() {
    }

    public static void main(String[] args) throws Exception {
        YAMLMapper yaml = new YAMLMapper();
        ObjectMapper json = new ObjectMapper();
        JsonNode manifest = yaml.readTree(Files.readAllBytes(Path.of(args[0])));
        ObjectNode template = (ObjectNode) manifest.path("spec").path("template");
        PodSpec spec = json.treeToValue(template.path("spec"), PodSpec.class);
        Container last = spec.getContainers().remove(spec.getContainers().size() - 1);
        spec.getInitContainers().add(new ContainerBuilder(last).withRestartPolicy("Always").build());
        template.set("spec", json.valueToTree(spec));
        System.out.print(yaml.writeValueAsString(manifest));
    }
}

package io.nativesidecar.conversion;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/**
 * A pod's effective CPU and memory request as the scheduler computes it with native sidecars
 * (KEP-753): the largest of each init container's request plus the sidecars started before it,
 * and of all sidecars plus all regular containers; pod overhead on top. Converting a sidecar can
 * change this figure, which is why {@code convert --explain} shows it before and after.
 *
 * @param cpu    cores
 * @param memory bytes
 */
public record EffectiveRequests(BigDecimal cpu, BigDecimal memory) {

    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
    private static final BigDecimal MI = BigDecimal.valueOf(1024L * 1024);

    /** The figures for a pod spec; zero for none. */
    public static EffectiveRequests of(PodSpec spec) {
        if (spec == null) {
            return new EffectiveRequests(BigDecimal.ZERO, BigDecimal.ZERO);
        }
        return new EffectiveRequests(effective(spec, "cpu"), effective(spec, "memory"));
    }

    private static BigDecimal effective(PodSpec spec, String resource) {
        BigDecimal sidecars = BigDecimal.ZERO;
        BigDecimal initPhase = BigDecimal.ZERO;
        for (Container init : nonNull(spec.getInitContainers())) {
            BigDecimal request = request(init, resource);
            if ("Always".equals(init.getRestartPolicy())) {
                sidecars = sidecars.add(request);
                initPhase = initPhase.max(sidecars);
            } else {
                initPhase = initPhase.max(sidecars.add(request));
            }
        }
        BigDecimal running = sidecars;
        for (Container container : nonNull(spec.getContainers())) {
            running = running.add(request(container, resource));
        }
        return initPhase.max(running).add(amount(spec.getOverhead(), resource));
    }

    /** The request, or the limit when only that is set (the API server defaults one to the other). */
    private static BigDecimal request(Container container, String resource) {
        if (container == null || container.getResources() == null) {
            return BigDecimal.ZERO;
        }
        Map<String, Quantity> requests = container.getResources().getRequests();
        if (requests != null && requests.containsKey(resource)) {
            return amount(requests, resource);
        }
        return amount(container.getResources().getLimits(), resource);
    }

    private static BigDecimal amount(Map<String, Quantity> quantities, String resource) {
        Quantity quantity = quantities == null ? null : quantities.get(resource);
        if (quantity == null) {
            return BigDecimal.ZERO;
        }
        try {
            return quantity.getNumericalAmount();
        } catch (RuntimeException unreadable) {
            // The API server will reject the pod for it; the report must not fail because of it.
            return BigDecimal.ZERO;
        }
    }

    private static List<Container> nonNull(List<Container> containers) {
        return containers == null ? List.of() : containers;
    }

    /** The CPU request in millicores, like {@code 350m}. */
    public String cpuText() {
        return cpu.multiply(THOUSAND).setScale(0, RoundingMode.CEILING).toPlainString() + "m";
    }

    /** The memory request in mebibytes, like {@code 384Mi}. */
    public String memoryText() {
        return memory.divide(MI, 1, RoundingMode.CEILING).stripTrailingZeros().toPlainString() + "Mi";
    }

    /** Like {@code cpu 350m, memory 384Mi}. */
    @Override
    public String toString() {
        return "cpu " + cpuText() + ", memory " + memoryText();
    }
}

package io.nativesidecar.profile;

import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Probe;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's catalogue table is the catalogue: rendered from {@code profiles/catalogue.yaml} and
 * compared with the block between its markers ({@code -Dgolden.update=true} rewrites it).
 */
class CatalogueTableTest {

    private static final Path README = Path.of("README.md");
    private static final String START = "<!-- catalogue table: generated from profiles/catalogue.yaml by CatalogueTableTest -->\n";
    private static final String END = "<!-- end of catalogue table -->";

    @Test
    void readmeShowsTheCatalogue() throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf(START);
        int end = readme.indexOf(END);
        assertThat(start).as("README marker").isGreaterThanOrEqualTo(0);
        assertThat(end).as("README end marker").isGreaterThan(start);
        String table = table(Configuration.builtIn().profiles().all());
        if (Boolean.getBoolean("golden.update")) {
            readme = readme.substring(0, start + START.length()) + table + readme.substring(end);
            Files.writeString(README, readme);
            end = readme.indexOf(END);
        }
        assertThat(readme.substring(start + START.length(), end)).isEqualTo(table);
    }

    static String table(List<SidecarProfile> profiles) {
        StringBuilder out = new StringBuilder("| profile | recognised by | placement | startupProbe | preStop | also | converted by default | source |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (SidecarProfile profile : profiles) {
            out.append("| `").append(profile.name()).append("` | ").append(recognisedBy(profile.match()))
                    .append(" | ").append(placement(profile))
                    .append(" | ").append(startupProbe(profile))
                    .append(" | ").append(profile.preStop() == null ? "none" : handler(profile.preStop()))
                    .append(" | ").append(also(profile))
                    .append(" | ").append(profile.convertByDefault() ? "yes" : "no")
                    .append(" | ").append(profile.source().replace("|", "\\|"))
                    .append(" |\n");
        }
        return out.toString();
    }

    private static String recognisedBy(SidecarProfile.Match match) {
        List<String> ways = new ArrayList<>();
        match.names().forEach(name -> ways.add("name `" + name + "`"));
        match.namePrefixes().forEach(prefix -> ways.add("name `" + prefix + "*`"));
        match.images().forEach(image -> ways.add("image `" + image + "`"));
        return String.join(", ", ways);
    }

    private static String placement(SidecarProfile profile) {
        if (profile.meshProxy()) {
            return "after " + String.join(" / ", profile.setupContainers().stream().map(s -> "`" + s + "`").toList())
                    + ", before the other init containers";
        }
        return profile.placement() == SidecarProfile.DefaultPlacement.BEFORE_INIT ? "before-init" : "after-init";
    }

    private static String startupProbe(SidecarProfile profile) {
        String probe;
        if (profile.startupProbe() instanceof StartupProbeRule.Given given) {
            Probe p = given.probe();
            List<String> parts = new ArrayList<>();
            parts.add(given.hasHandler() ? probeHandler(p) : "the readinessProbe's check");
            if (p.getInitialDelaySeconds() != null) {
                parts.add("delay " + p.getInitialDelaySeconds());
            }
            if (p.getPeriodSeconds() != null) {
                parts.add("period " + p.getPeriodSeconds());
            }
            if (p.getTimeoutSeconds() != null) {
                parts.add("timeout " + p.getTimeoutSeconds());
            }
            parts.add("failureThreshold " + (p.getFailureThreshold() == null ? "as configured" : p.getFailureThreshold()));
            probe = String.join(", ", parts);
        } else if (profile.startupProbe() instanceof StartupProbeRule.FromReadiness) {
            probe = "from the readinessProbe";
        } else if (profile.startupProbe() instanceof StartupProbeRule.SameAsReadiness) {
            probe = "a copy of the readinessProbe";
        } else {
            probe = "none";
        }
        if (profile.startupProbeOnlyWith() == SidecarProfile.StartupProbeCondition.REMOVED_POST_START) {
            return probe + ", only in place of a removed postStart";
        }
        return profile.startupProbeOnlyWith() == SidecarProfile.StartupProbeCondition.READINESS_PROBE
                ? probe + ", only with a readinessProbe" : probe;
    }

    private static String also(SidecarProfile profile) {
        List<String> also = new ArrayList<>();
        profile.removePostStart().forEach(command -> also.add("removes postStart `" + String.join(" ", command) + "`"));
        if (profile.replaceExistingPreStop()) {
            also.add("replaces the container's own preStop");
        }
        profile.env().forEach(env -> also.add("adds env `" + env.getName() + "=" + env.getValue() + "`"));
        profile.recordAnnotations().forEach(record -> also.add("rewrites `" + record.name() + "`"));
        if (!profile.nativeSidecarAnnotations().isEmpty()) {
            also.add("keeps it classic when the pod sets " + String.join(" or ",
                    profile.nativeSidecarAnnotations().stream().map(key -> "`" + key + "`").toList()) + " to `\"false\"`");
        }
        return also.isEmpty() ? "" : String.join("; ", also);
    }

    private static String probeHandler(Probe probe) {
        if (probe.getExec() != null) {
            return "exec `" + String.join(" ", probe.getExec().getCommand()) + "`";
        }
        if (probe.getHttpGet() != null) {
            return "httpGet `" + probe.getHttpGet().getPath() + "` :" + port(probe.getHttpGet().getPort());
        }
        if (probe.getTcpSocket() != null) {
            return "tcpSocket :" + port(probe.getTcpSocket().getPort());
        }
        return "grpc :" + probe.getGrpc().getPort();
    }

    private static String handler(LifecycleHandler handler) {
        if (handler.getExec() != null) {
            return "exec `" + String.join(" ", handler.getExec().getCommand()) + "`";
        }
        if (handler.getHttpGet() != null) {
            return "httpGet `" + handler.getHttpGet().getPath() + "` :" + port(handler.getHttpGet().getPort());
        }
        if (handler.getSleep() != null) {
            return "sleep " + handler.getSleep().getSeconds() + " s";
        }
        return "tcpSocket :" + port(handler.getTcpSocket().getPort());
    }

    private static String port(io.fabric8.kubernetes.api.model.IntOrString port) {
        return port.getIntVal() != null ? port.getIntVal().toString() : port.getStrVal();
    }
}

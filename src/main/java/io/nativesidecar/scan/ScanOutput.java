package io.nativesidecar.scan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Collectors;

/** {@code scan}'s output: a table grouped by namespace, or the report as JSON or YAML. */
final class ScanOutput {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .build());

    private ScanOutput() {
    }

    static String json(ScanReport report) throws JsonProcessingException {
        return JSON.writeValueAsString(report) + "\n";
    }

    static String yaml(ScanReport report) throws JsonProcessingException {
        return YAML.writeValueAsString(report);
    }

    static String table(ScanReport report) {
        StringBuilder out = new StringBuilder();
        ScanReport.Cluster cluster = report.cluster();
        out.append("Cluster: API server ").append(cluster.apiServerVersion()).append("; kubelets ")
                .append(cluster.kubeletVersions().entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
                        .collect(Collectors.joining(", ")))
                .append("; webhook ").append(cluster.webhookInstalled() ? "installed" : "not installed").append("\n");
        String namespace = null;
        List<String[]> rows = new ArrayList<>();
        for (ScanReport.Workload workload : report.workloads()) {
            if (!workload.namespace().equals(namespace)) {
                flush(out, namespace, rows);
                namespace = workload.namespace();
            }
            ScanReport.Pods pods = workload.pods();
            StringJoiner sidecars = new StringJoiner(", ");
            workload.sidecars().forEach(s -> sidecars.add(s.name() + (s.outcome().equals("converts") || s.outcome().equals("converted")
                    ? "" : " (" + s.outcome() + ")")));
            rows.add(new String[] {workload.kind() + "/" + workload.name(), workload.status().text(),
                pods.total() + " (" + pods.converted() + "/" + pods.classic() + "/" + pods.broken() + ")",
                sidecars.length() == 0 ? "-" : sidecars.toString(),
                requestChange(workload.effectiveRequests()), workload.reason() == null ? "" : workload.reason()});
        }
        flush(out, namespace, rows);
        out.append("\nSummary: ");
        StringJoiner summary = new StringJoiner(", ");
        for (Map.Entry<Status, Integer> status : report.summary().entrySet()) {
            summary.add(status.getKey().text() + " " + status.getValue());
        }
        out.append(summary).append(" (").append(report.workloads().size()).append(" workloads)\n");
        out.append("Effective requests when every classic pod is converted: ").append(totalChange(report)).append("\n");
        return out.toString();
    }

    private static void flush(StringBuilder out, String namespace, List<String[]> rows) {
        if (namespace == null || rows.isEmpty()) {
            return;
        }
        String[] header = {"WORKLOAD", "STATUS", "PODS (CONVERTED/CLASSIC/BROKEN)", "SIDECARS", "REQUESTS PER POD", "REASON"};
        int[] widths = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            widths[i] = header[i].length();
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        out.append("\nNamespace ").append(namespace).append("\n");
        line(out, header, widths);
        rows.forEach(row -> line(out, row, widths));
        rows.clear();
    }

    private static void line(StringBuilder out, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder("  ");
        for (int i = 0; i < cells.length; i++) {
            line.append(i == cells.length - 1 ? cells[i] : pad(cells[i], widths[i] + 2));
        }
        out.append(line.toString().stripTrailing()).append("\n");
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }

    private static String requestChange(ScanReport.Requests requests) {
        if (requests == null) {
            return "-";
        }
        if (requests.before().equals(requests.after())) {
            return requests.before().cpu() + ", " + requests.before().memory();
        }
        return requests.before().cpu() + " -> " + requests.after().cpu() + ", " + requests.before().memory() + " -> "
                + requests.after().memory();
    }

    /** Sum over workloads of the change per pod times its classic pods. */
    private static String totalChange(ScanReport report) {
        BigDecimal cpu = BigDecimal.ZERO;
        BigDecimal memory = BigDecimal.ZERO;
        for (ScanReport.Workload workload : report.workloads()) {
            ScanReport.Requests requests = workload.effectiveRequests();
            if (requests == null || workload.pods().classic() == 0) {
                continue;
            }
            BigDecimal pods = BigDecimal.valueOf(workload.pods().classic());
            cpu = cpu.add(number(requests.after().cpu()).subtract(number(requests.before().cpu())).multiply(pods));
            memory = memory.add(number(requests.after().memory()).subtract(number(requests.before().memory())).multiply(pods));
        }
        return "cpu " + signed(cpu) + "m, memory " + signed(memory) + "Mi";
    }

    private static BigDecimal number(String quantity) {
        return new BigDecimal(quantity.replaceAll("[^0-9.]", ""));
    }

    private static String signed(BigDecimal value) {
        return (value.signum() >= 0 ? "+" : "") + value.stripTrailingZeros().toPlainString();
    }
}

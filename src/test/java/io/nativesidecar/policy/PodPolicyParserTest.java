package io.nativesidecar.policy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.nativesidecar.report.Finding;
import io.nativesidecar.report.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PodPolicyParserTest {

    @Test
    void noAnnotationsIsTheDefault() {
        assertThat(PodPolicyParser.parse(null)).isEqualTo(PodPolicy.DEFAULT);
        assertThat(PodPolicyParser.parse(Map.of("app.kubernetes.io/name", "x"))).isEqualTo(PodPolicy.DEFAULT);
    }

    @ParameterizedTest
    @CsvSource({"true,true", "false,false", "FALSE,false", "' true ',true"})
    void enabled(String value, boolean enabled) {
        PodPolicy policy = PodPolicyParser.parse(Map.of(Annotations.ENABLED, value));
        assertThat(policy.enabled()).isEqualTo(enabled);
        assertThat(policy.findings()).isEmpty();
    }

    @Test
    void invalidEnabledIsAWarningAndKeepsTheDefault() {
        PodPolicy policy = PodPolicyParser.parse(Map.of(Annotations.ENABLED, "no"));
        assertThat(policy.enabled()).isTrue();
        assertThat(policy.findings()).singleElement().satisfies(f -> {
            assertThat(f.reason()).isEqualTo(Reason.INVALID_ANNOTATION);
            assertThat(f.subject()).isEqualTo(Annotations.ENABLED);
        });
    }

    @Test
    void sidecarsAndExcludeAreTrimmedNameLists() {
        PodPolicy policy = PodPolicyParser.parse(Map.of(
                Annotations.SIDECARS, " cloud-sql-proxy, fluent-bit ,,",
                Annotations.EXCLUDE, "istio-proxy"));
        assertThat(policy.extraSidecars()).containsExactly("cloud-sql-proxy", "fluent-bit");
        assertThat(policy.excluded()).containsExactly("istio-proxy");
        assertThat(policy.findings()).isEmpty();
    }

    @Test
    void aListWithAnInvalidNameIsIgnoredWhole() {
        PodPolicy policy = PodPolicyParser.parse(Map.of(Annotations.SIDECARS, "ok,Not_A_Name"));
        assertThat(policy.extraSidecars()).isEmpty();
        assertThat(policy.findings()).extracting(Finding::reason).containsExactly(Reason.INVALID_ANNOTATION);
    }

    @Test
    void placements() {
        PodPolicy policy = PodPolicyParser.parse(Map.of(
                Annotations.PLACEMENT_PREFIX + "a", "before-init",
                Annotations.PLACEMENT_PREFIX + "b", "after-init",
                Annotations.PLACEMENT_PREFIX + "c", "after:db-migrate"));
        assertThat(policy.placements()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "a", Placement.BEFORE_INIT, "b", Placement.AFTER_INIT, "c", Placement.after("db-migrate")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"first", "after:", "after:Bad_Name", "before_init", ""})
    void invalidPlacements(String value) {
        assertInvalid(Annotations.PLACEMENT_PREFIX + "proxy", value);
    }

    @Test
    void startupProbeForms() {
        PodPolicy policy = PodPolicyParser.parse(Map.of(
                Annotations.STARTUP_PROBE_PREFIX + "a", "none",
                Annotations.STARTUP_PROBE_PREFIX + "b", "http:8080/healthz/ready",
                Annotations.STARTUP_PROBE_PREFIX + "c", "tcp:5432",
                Annotations.STARTUP_PROBE_PREFIX + "d", "{\"exec\":{\"command\":[\"true\"]},\"failureThreshold\":30}",
                Annotations.STARTUP_PROBE_PREFIX + "e", "http:admin"));
        assertThat(policy.findings()).isEmpty();
        assertThat(policy.startupProbes().get("a")).isInstanceOf(StartupProbeOverride.None.class);
        var http = ((StartupProbeOverride.Handler) policy.startupProbes().get("b")).handler().getHttpGet();
        assertThat(http.getPort()).isEqualTo(new IntOrString(8080));
        assertThat(http.getPath()).isEqualTo("/healthz/ready");
        var tcp = ((StartupProbeOverride.Handler) policy.startupProbes().get("c")).handler().getTcpSocket();
        assertThat(tcp.getPort()).isEqualTo(new IntOrString(5432));
        var exact = ((StartupProbeOverride.Exact) policy.startupProbes().get("d")).probe();
        assertThat(exact.getFailureThreshold()).isEqualTo(30);
        var named = ((StartupProbeOverride.Handler) policy.startupProbes().get("e")).handler().getHttpGet();
        assertThat(named.getPort()).isEqualTo(new IntOrString("admin"));
        assertThat(named.getPath()).isEqualTo("/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc:2020", "http:0/x", "http:70000/x", "tcp:", "tcp:-1", "http:8080 /x",
        "{\"httpGet\":{\"port\":1}", "{}", "{\"exec\":{\"command\":[\"a\"]},\"tcpSocket\":{\"port\":1}}",
        "{\"exec\":{\"command\":[\"a\"]},\"successThreshold\":2}", "{\"periodSeconds\":\"soon\"}", "[]", "null"})
    void invalidStartupProbes(String value) {
        assertInvalid(Annotations.STARTUP_PROBE_PREFIX + "proxy", value);
    }

    @Test
    void preStopForms() {
        PodPolicy policy = PodPolicyParser.parse(Map.of(
                Annotations.PRE_STOP_PREFIX + "a", "none",
                Annotations.PRE_STOP_PREFIX + "b", "sleep:15",
                Annotations.PRE_STOP_PREFIX + "c", "http:15000/drain",
                Annotations.PRE_STOP_PREFIX + "d", "{\"sleep\":{\"seconds\":5}}"));
        assertThat(policy.findings()).isEmpty();
        assertThat(policy.preStops().get("a")).isInstanceOf(PreStopOverride.None.class);
        assertThat(policy.preStops().get("b")).isEqualTo(new PreStopOverride.Sleep(15));
        var http = ((PreStopOverride.Handler) policy.preStops().get("c")).handler().getHttpGet();
        assertThat(http.getPath()).isEqualTo("/drain");
        var sleep = ((PreStopOverride.Handler) policy.preStops().get("d")).handler().getSleep();
        assertThat(sleep.getSeconds()).isEqualTo(5L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sleep:", "sleep:0", "sleep:-3", "sleep:soon", "sleep:100000", "wait", "tcp:80",
        "{\"exec\":{\"command\":[\"a\"]},\"sleep\":{\"seconds\":1}}", "{\"nothing\":1}"})
    void invalidPreStops(String value) {
        assertInvalid(Annotations.PRE_STOP_PREFIX + "proxy", value);
    }

    @Test
    void unknownKeysInOurPrefixAreWarnedAboutSoThatTyposShow() {
        assertInvalid(Annotations.PREFIX + "sidecar", "fluent-bit");
        assertInvalid(Annotations.PLACEMENT_PREFIX + "Bad_Name", "before-init");
    }

    @Test
    void theConvertedRecordIsOursAndNotAWarning() {
        assertThat(PodPolicyParser.parse(Map.of(Annotations.CONVERTED, "istio-proxy")).findings()).isEmpty();
    }

    @Test
    void oneBadValueDoesNotSpoilTheOthers() {
        PodPolicy policy = PodPolicyParser.parse(Map.of(
                Annotations.PLACEMENT_PREFIX + "a", "sideways",
                Annotations.PLACEMENT_PREFIX + "b", "before-init",
                Annotations.PRE_STOP_PREFIX + "a", "sleep:5"));
        assertThat(policy.placements()).containsOnlyKeys("b");
        assertThat(policy.preStops()).containsOnlyKeys("a");
        assertThat(policy.findings()).hasSize(1);
    }

    @Test
    void longValuesAreShortenedInMessages() {
        String value = "x".repeat(500);
        List<Finding> findings = PodPolicyParser.parse(Map.of(Annotations.PLACEMENT_PREFIX + "a", value)).findings();
        assertThat(findings.get(0).message()).hasSizeLessThan(200).contains("...");
    }

    private static void assertInvalid(String key, String value) {
        PodPolicy policy = PodPolicyParser.parse(Map.of(key, value));
        assertThat(policy.findings()).as(key + "=" + value).singleElement().satisfies(f -> {
            assertThat(f.reason()).isEqualTo(Reason.INVALID_ANNOTATION);
            assertThat(f.subject()).isEqualTo(key);
        });
        assertThat(policy.placements()).isEmpty();
        assertThat(policy.startupProbes()).isEmpty();
        assertThat(policy.preStops()).isEmpty();
    }
}

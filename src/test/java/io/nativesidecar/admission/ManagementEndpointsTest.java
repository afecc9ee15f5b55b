package io.nativesidecar.admission;

import io.nativesidecar.testing.ConversionInvariants;
import io.nativesidecar.testing.Reviews;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.file.Path;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Health and metrics on the plain-HTTP management port, as kubelet and Prometheus see them. */
@QuarkusTest
class ManagementEndpointsTest {

    @TestHTTPResource(value = "/mutate", tls = true)
    URL mutate;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "/health/live", management = true)
    URL live;

    /** Plain HTTP on the management port (the URLs are http://), so kubelet probes need no TLS. */
    @Test
    void readyOnlyWithAValidServingCertificate() throws InterruptedException {
        // Readiness also waits for the warm-up (HttpsServerStart is fired asynchronously), which may still be running.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (given().get(ready).statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        String body = given().get(ready).then().statusCode(200).extract().asString();
        assertThat(body).contains("serving-certificate").contains("\"UP\"").contains("notAfter").contains("warm-up");
        given().get(live).then().statusCode(200);
    }

    @Test
    void admissionsAreCountedByOutcomeWithLatencyBuckets() throws Exception {
        var pod = ConversionInvariants.pods(Path.of("src/test/resources/istio-vectors/old-version/hello.input.yaml")).get(0);
        given().relaxedHTTPSValidation().contentType("application/json")
                .body(ConversionInvariants.JSON.writeValueAsBytes(Reviews.podCreate("m-1", pod))).post(mutate)
                .then().statusCode(200);
        given().relaxedHTTPSValidation().contentType("application/json").body("{}").post(mutate).then().statusCode(400);

        String text = given().get(metrics).then().statusCode(200).extract().asString();
        assertThat(metricValue(text, "nativesidecar_admissions_total{outcome=\"converted\"}")).isGreaterThanOrEqualTo(1);
        assertThat(metricValue(text, "nativesidecar_admissions_total{outcome=\"bad_request\"}")).isGreaterThanOrEqualTo(1);
        assertThat(metricValue(text, "nativesidecar_sidecars_converted_total{container=\"istio-proxy\"}")).isGreaterThanOrEqualTo(1);
        assertThat(text).contains("nativesidecar_admissions_total{outcome=\"failed_open\"}")
                .contains("nativesidecar_failed_open_total")
                .contains("nativesidecar_admission_duration_seconds_bucket{le=\"1.0E-4\"}")
                .contains("nativesidecar_admission_duration_seconds_bucket{le=\"1.0\"}")
                .contains("nativesidecar_findings_total{reason=\"last_container\"}");
    }

    /** A pod whose conversion a later webhook undid, seen again on reinvocation: counted as broken, its owner warned. */
    @Test
    void aPodWhoseConversionWasUndoneIsCountedAsBroken() throws Exception {
        var pod = ConversionInvariants.pods(Path.of("src/test/resources/golden/undone-restart-policy-restored.yaml")).get(0);
        String before = given().get(metrics).then().statusCode(200).extract().asString();
        var answer = ConversionInvariants.JSON.readTree(given().relaxedHTTPSValidation().contentType("application/json")
                .body(ConversionInvariants.JSON.writeValueAsBytes(Reviews.podCreate("m-2", pod))).post(mutate)
                .then().statusCode(200).extract().asByteArray());
        assertThat(answer.at("/response/warnings").toString())
                .contains("nativesidecar: istio-proxy: a later webhook undid its conversion (restartPolicy dropped; restored)");
        assertThat(Reviews.patched(pod, answer).at("/spec/initContainers/1/restartPolicy").asText()).isEqualTo("Always");
        String after = given().get(metrics).then().statusCode(200).extract().asString();
        String series = "nativesidecar_admissions_total{outcome=\"broken\"}";
        assertThat(metricValue(after, series)).isEqualTo(metricValue(before, series) + 1);
    }

    /** The value of one series in Prometheus's text format. */
    static double metricValue(String text, String series) {
        return text.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError("no series " + series));
    }
}

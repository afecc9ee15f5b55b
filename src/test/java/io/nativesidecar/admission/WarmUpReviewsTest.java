package io.nativesidecar.admission;

import io.nativesidecar.profile.Configuration;
import io.nativesidecar.conversion.SidecarConverter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WarmUpReviewsTest {

    @Test
    void theSampleGoesThroughTheWholeConvertingPath() {
        // A sample that were not converted would leave the patch code cold, which is half the point.
        assertThat(new WarmUpReviews(new SidecarConverter(Configuration.builtIn())).answer(3)).isEqualTo(3);
    }

    @Test
    void theSampleIsAPodCreateReview() {
        String review = new String(WarmUpReviews.sample(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(review).contains("\"operation\": \"CREATE\"", "\"uid\": \"warm-up\"", "\"istio-proxy\"");
    }
}

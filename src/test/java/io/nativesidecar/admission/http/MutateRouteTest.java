package io.nativesidecar.admission.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** What the route takes for JSON; the HTTP behaviour is in MutateEndpointTest. */
class MutateRouteTest {

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "Application/JSON", " application/json ;charset=UTF-8"})
    void jsonWithOrWithoutParametersIsJson(String contentType) {
        assertThat(MutateRoute.isJson(contentType)).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @CsvSource({"text/plain", "application/xml", "application/json-patch+json", "application/jsonx", "application", "*/*"})
    void anythingElseIsNot(String contentType) {
        assertThat(MutateRoute.isJson(contentType)).isFalse();
    }
}

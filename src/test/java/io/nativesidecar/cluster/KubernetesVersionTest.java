package io.nativesidecar.cluster;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class KubernetesVersionTest {

    @ParameterizedTest
    @CsvSource({"v1.29.3,1,29", "v1.28.9-eks-036c24b,1,28", "1.31.0+k3s1,1,31", "v1.30.1-gke.1329003,1,30"})
    void parsesGitVersions(String gitVersion, int major, int minor) {
        assertThat(KubernetesVersion.parse(gitVersion)).isEqualTo(new KubernetesVersion(major, minor));
    }

    @ParameterizedTest
    @CsvSource({"1,29+,v1.29.3-gke,29", "1,30,,30", ",,v1.28.2,28", "x,y,v1.27.0,27"})
    void prefersMajorAndMinorFields(String major, String minor, String gitVersion, int expectedMinor) {
        assertThat(KubernetesVersion.of(major, minor, gitVersion).minor()).isEqualTo(expectedMinor);
    }

    @ParameterizedTest
    @CsvSource({"v1.28.15,false", "v1.29.0,true", "v1.30.0,true", "v2.0.0,true"})
    void comparesAgainstTheNativeSidecarRelease(String version, boolean supported) {
        assertThat(KubernetesVersion.parse(version).atLeast(KubernetesVersion.NATIVE_SIDECARS)).isEqualTo(supported);
    }

    @ParameterizedTest
    @CsvSource({"''", "unknown", "latest"})
    void unreadableIsNull(String version) {
        assertThat(KubernetesVersion.parse(version)).isNull();
    }
}

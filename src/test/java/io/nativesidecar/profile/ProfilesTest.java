package io.nativesidecar.profile;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How containers are recognised: exact name, then name prefix, then image; the first listed wins. */
class ProfilesTest {

    @ParameterizedTest
    @CsvSource({
        "fluent/fluent-bit:3.1, docker.io/fluent/fluent-bit",
        "nginx, docker.io/library/nginx",
        "nginx@sha256:abc, docker.io/library/nginx",
        "docker.io/timberio/vector:0.41.1-distroless-libc, docker.io/timberio/vector",
        "index.docker.io/daprio/daprd:1.14, docker.io/daprio/daprd",
        "gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0, gcr.io/cloud-sql-connectors/cloud-sql-proxy",
        "localhost:5000/proxy:1@sha256:abc, localhost:5000/proxy",
        "registry.example.com:8443/team/agent, registry.example.com:8443/team/agent",
    })
    void imagesAreSpeltOutAsTheirRepository(String image, String repository) {
        assertThat(ImageReference.repository(image)).isEqualTo(repository);
    }

    @ParameterizedTest
    @CsvSource({
        "*/cloud-sql-proxy, gcr.io/cloud-sql-connectors/cloud-sql-proxy, true",
        "*/cloud-sql-proxy, us.gcr.io/cloud-sql-connectors/cloud-sql-proxy, true",
        "*/cloud-sql-proxy, gcr.io/example/cloud-sql-proxy-helper, false",
        "cr.l5d.io/linkerd/proxy, cr.l5d.io/linkerd/proxy, true",
        "cr.l5d.io/linkerd/proxy, cr.l5d.io/linkerd/proxy-init, false",
        "daprio/daprd, docker.io/daprio/daprd, true",
        "*/timberio/vector, docker.io/timberio/vector, true",
        "*fluent-bit, public.ecr.aws/aws-observability/aws-for-fluent-bit, true",
        "ghcr.io/acme/agent-?, ghcr.io/acme/agent-2, true",
    })
    void imagePatternsAreGlobsOverTheRepository(String glob, String repository, boolean matches) {
        assertThat(ImagePattern.of(glob).matches(repository)).isEqualTo(matches);
    }

    @Test
    void aNameBeatsAPrefixBeatsAnImageAndTheFirstListedWins() {
        SidecarProfile byImage = profile("by-image", new SidecarProfile.Match(null, List.of("*/agent"), null));
        SidecarProfile byOtherImage = profile("by-other-image", new SidecarProfile.Match(null, List.of("*agent"), null));
        SidecarProfile byPrefix = profile("by-prefix", new SidecarProfile.Match(null, null, List.of("agent-")));
        SidecarProfile byName = profile("by-name", new SidecarProfile.Match(List.of("agent-main"), null, null));
        Profiles profiles = new Profiles(List.of(byImage, byOtherImage, byPrefix, byName));

        assertThat(profiles.match(container("agent-main", "example.com/team/agent:1"))).isSameAs(byName);
        assertThat(profiles.match(container("agent-extra", "example.com/team/agent:1"))).isSameAs(byPrefix);
        assertThat(profiles.match(container("sidecar", "example.com/team/agent:1"))).isSameAs(byImage);
        assertThat(profiles.match(container("sidecar", "example.com/team/my-agent:1"))).isSameAs(byOtherImage);
        assertThat(profiles.match(container("sidecar", "example.com/team/other:1"))).isNull();
        assertThat(profiles.match(container("sidecar", null))).isNull();
        assertThat(new Profiles(List.of(byOtherImage, byImage)).match(container("x", "example.com/agent"))).isSameAs(byOtherImage);
    }

    @Test
    void twoProfilesCannotClaimOneName() {
        SidecarProfile first = profile("first", new SidecarProfile.Match(List.of("agent"), null, null));
        SidecarProfile second = profile("second", new SidecarProfile.Match(List.of("agent"), null, null));
        assertThatThrownBy(() -> new Profiles(List.of(first, second))).isInstanceOf(Profiles.Conflict.class)
                .hasMessageContaining("container name \"agent\"");
    }

    private static SidecarProfile profile(String name, SidecarProfile.Match match) {
        return new SidecarProfile(name, null, match, false, null, null, null, null, null, false, null, null, null, null, null,
                null);
    }

    private static Container container(String name, String image) {
        return new ContainerBuilder().withName(name).withImage(image).build();
    }
}

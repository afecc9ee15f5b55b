package io.nativesidecar.profile;

/**
 * The repository part of a container image reference, as a profile's image patterns see it: no tag,
 * no digest, and Docker Hub's implicit names spelt out ({@code fluent/fluent-bit:3.1} is
 * {@code docker.io/fluent/fluent-bit}, {@code nginx} is {@code docker.io/library/nginx}), so that one
 * pattern matches however a manifest abbreviates the image.
 */
final class ImageReference {

    private static final String DOCKER_HUB = "docker.io/";

    private ImageReference() {
    }

    /**
     * The last path segment of the repository ({@code proxyv2} for {@code docker.io/istio/proxyv2:1.24}),
     * the same before and after normalising; null when there is none.
     */
    static String lastSegment(String image) {
        if (image == null) {
            return null;
        }
        int start = image.lastIndexOf('/') + 1;
        int digest = image.indexOf('@', start);
        int end = digest >= 0 ? digest : image.length();
        int tag = image.indexOf(':', start);
        if (tag >= 0 && tag < end) {
            end = tag;
        }
        return end > start ? image.substring(start, end).trim() : null;
    }

    /** The normalised repository of {@code image}, or null when there is none. */
    static String repository(String image) {
        if (image == null) {
            return null;
        }
        String name = image.trim();
        int digest = name.indexOf('@');
        if (digest >= 0) {
            name = name.substring(0, digest);
        }
        int lastSlash = name.lastIndexOf('/');
        int tag = name.lastIndexOf(':');
        if (tag > lastSlash) {
            name = name.substring(0, tag);
        }
        if (name.isEmpty()) {
            return null;
        }
        int firstSlash = name.indexOf('/');
        if (firstSlash < 0) {
            return DOCKER_HUB + "library/" + name;
        }
        String first = name.substring(0, firstSlash);
        boolean registry = first.indexOf('.') >= 0 || first.indexOf(':') >= 0 || first.equals("localhost");
        if (!registry) {
            return DOCKER_HUB + name;
        }
        return first.equals("index.docker.io") ? DOCKER_HUB + name.substring(firstSlash + 1) : name;
    }
}

package io.nativesidecar.profile;

import java.util.regex.Pattern;

/**
 * A glob over normalised image repositories ({@link ImageReference}): {@code *} matches any run of
 * characters, {@code /} included, {@code ?} one character; everything else matches itself. So
 * {@code *}{@code /cloud-sql-proxy} matches {@code gcr.io/cloud-sql-connectors/cloud-sql-proxy} and its
 * mirrors, and {@code cr.l5d.io/linkerd/proxy} only that repository. A pattern without a wildcard
 * before its first slash is spelt out like an image: {@code daprio/daprd} is {@code docker.io/daprio/daprd}.
 */
record ImagePattern(String glob, Pattern regex, String lastSegment) {

    static ImagePattern of(String glob) {
        // A colon only as a registry's port (before the first slash); after it, it would start a tag.
        if (glob == null || glob.isBlank() || glob.lastIndexOf(':') > glob.indexOf('/') || glob.indexOf('@') >= 0
                || glob.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("\"" + glob + "\" is not a repository pattern (no tag, digest or spaces)");
        }
        int firstSlash = glob.indexOf('/');
        String first = firstSlash < 0 ? glob : glob.substring(0, firstSlash);
        // Written like an image (no wildcard before the first slash): spelt out as ImageReference does.
        String normalised = first.indexOf('*') < 0 && first.indexOf('?') < 0 ? ImageReference.repository(glob) : glob;
        StringBuilder regex = new StringBuilder();
        for (char c : normalised.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        String last = normalised.substring(normalised.lastIndexOf('/') + 1);
        boolean literalLast = last.indexOf('*') < 0 && last.indexOf('?') < 0 && normalised.lastIndexOf('/') >= 0;
        return new ImagePattern(glob, Pattern.compile(regex.toString()), literalLast ? last : null);
    }

    boolean matches(String repository) {
        return regex.matcher(repository).matches();
    }

    @Override
    public String toString() {
        return glob;
    }
}

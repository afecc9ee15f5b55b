package io.nativesidecar.cluster;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Kubernetes major.minor version, read from the forms clusters report ({@code v1.29.3-gke.100}, minor {@code "29+"}). */
public record KubernetesVersion(int major, int minor) implements Comparable<KubernetesVersion> {

    /** Native sidecars (SidecarContainers, beta and on by default). */
    public static final KubernetesVersion NATIVE_SIDECARS = new KubernetesVersion(1, 29);
    /** The preStop sleep action (PodLifecycleSleepAction, beta and on by default). */
    public static final KubernetesVersion SLEEP_ACTION = new KubernetesVersion(1, 30);

    private static final Pattern GIT_VERSION = Pattern.compile("v?(\\d+)\\.(\\d+).*");
    private static final Pattern LEADING_DIGITS = Pattern.compile("(\\d+).*");

    /** From a git version such as {@code v1.28.9-eks-036c24b}; null when it is not one. */
    public static KubernetesVersion parse(String gitVersion) {
        if (gitVersion == null) {
            return null;
        }
        Matcher matcher = GIT_VERSION.matcher(gitVersion.trim());
        return matcher.matches()
                ? new KubernetesVersion(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))) : null;
    }

    /** From /version's major and minor fields ({@code "1"}, {@code "29+"}), falling back to its git version. */
    public static KubernetesVersion of(String major, String minor, String gitVersion) {
        Matcher majorDigits = major == null ? null : LEADING_DIGITS.matcher(major.trim());
        Matcher minorDigits = minor == null ? null : LEADING_DIGITS.matcher(minor.trim());
        if (majorDigits != null && majorDigits.matches() && minorDigits != null && minorDigits.matches()) {
            return new KubernetesVersion(Integer.parseInt(majorDigits.group(1)), Integer.parseInt(minorDigits.group(1)));
        }
        return parse(gitVersion);
    }

    public boolean atLeast(KubernetesVersion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(KubernetesVersion other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}

package io.nativesidecar.profile;

import io.fabric8.kubernetes.api.model.Container;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The profiles in force, indexed for recognising containers on the admission path. A container is
 * recognised by its exact name first, then by the start of its name, then by its image; among
 * profiles of the same kind of match the first listed wins. Immutable and thread-safe.
 */
public final class Profiles {

    private final List<SidecarProfile> all;
    private final Map<String, SidecarProfile> byName = new HashMap<>();
    private final Map<String, SidecarProfile> byContainerName = new HashMap<>();
    private final List<Prefix> prefixes = new ArrayList<>();
    /** Image patterns whose last path segment is literal, by that segment: most images need one lookup. */
    private final Map<String, List<Image>> imagesByLastSegment = new HashMap<>();
    private final List<Image> otherImages = new ArrayList<>();
    private final Set<String> setupContainers = new LinkedHashSet<>();

    private record Prefix(String prefix, SidecarProfile profile) {
    }

    private record Image(ImagePattern pattern, SidecarProfile profile, int order) {
    }

    /**
     * @throws Conflict when two profiles share a name, a container name or a name prefix
     */
    public Profiles(List<SidecarProfile> profiles) {
        this.all = List.copyOf(profiles);
        for (int i = 0; i < all.size(); i++) {
            SidecarProfile profile = all.get(i);
            SidecarProfile sameName = byName.putIfAbsent(profile.name(), profile);
            if (sameName != null) {
                throw new Conflict("name", "profile \"" + profile.name() + "\"", sameName, profile);
            }
            for (String name : profile.match().names()) {
                SidecarProfile claimed = byContainerName.putIfAbsent(name, profile);
                if (claimed != null) {
                    throw new Conflict("match.names", "container name \"" + name + "\"", claimed, profile);
                }
            }
            for (String prefix : profile.match().namePrefixes()) {
                for (Prefix earlier : prefixes) {
                    if (earlier.prefix().equals(prefix)) {
                        throw new Conflict("match.namePrefixes", "name prefix \"" + prefix + "\"", earlier.profile(), profile);
                    }
                }
                prefixes.add(new Prefix(prefix, profile));
            }
            for (String glob : profile.match().images()) {
                ImagePattern pattern = ImagePattern.of(glob);
                Image image = new Image(pattern, profile, i);
                if (pattern.lastSegment() != null) {
                    imagesByLastSegment.computeIfAbsent(pattern.lastSegment(), k -> new ArrayList<>()).add(image);
                } else {
                    otherImages.add(image);
                }
            }
            if (profile.meshProxy()) {
                setupContainers.addAll(profile.setupContainers());
            }
        }
    }

    /** Two profiles claim the same thing ({@link #claim}): the later one in the list, in {@link #field}, repeats the earlier one. */
    public static final class Conflict extends IllegalArgumentException {
        private final transient SidecarProfile earlier;
        private final transient SidecarProfile later;
        private final String field;
        private final String claim;

        Conflict(String field, String claim, SidecarProfile earlier, SidecarProfile later) {
            super(claim + " is claimed by profiles " + earlier.name() + " and " + later.name());
            this.field = field;
            this.claim = claim;
            this.earlier = earlier;
            this.later = later;
        }

        /** What both claim, e.g. {@code container name "istio-proxy"}. */
        public String claim() {
            return claim;
        }

        public String field() {
            return field;
        }

        public SidecarProfile earlier() {
            return earlier;
        }

        public SidecarProfile later() {
            return later;
        }
    }

    public List<SidecarProfile> all() {
        return all;
    }

    /** The profile with this name, or null. */
    public SidecarProfile named(String name) {
        return byName.get(name);
    }

    /** Every mesh proxy's setup init containers, in profile order. */
    public Set<String> setupContainers() {
        return Collections.unmodifiableSet(setupContainers);
    }

    /** The profile that recognises this container, or null. */
    public SidecarProfile match(Container container) {
        String name = container.getName();
        if (name != null) {
            SidecarProfile byContainer = byContainerName.get(name);
            if (byContainer != null) {
                return byContainer;
            }
            for (Prefix prefix : prefixes) {
                if (name.startsWith(prefix.prefix())) {
                    return prefix.profile();
                }
            }
        }
        // Most images match no pattern: one lookup by the last segment of the image as written
        // decides that, and only a candidate's image is spelt out in full.
        List<Image> candidates = imagesByLastSegment.isEmpty() ? null
                : imagesByLastSegment.get(ImageReference.lastSegment(container.getImage()));
        if (candidates == null && otherImages.isEmpty()) {
            return null;
        }
        String repository = ImageReference.repository(container.getImage());
        if (repository == null) {
            return null;
        }
        Image found = first(candidates, repository, null);
        found = first(otherImages, repository, found);
        return found == null ? null : found.profile();
    }

    private static Image first(List<Image> candidates, String repository, Image best) {
        if (candidates == null) {
            return best;
        }
        for (Image candidate : candidates) {
            if (best != null && candidate.order() >= best.order()) {
                return best;
            }
            if (candidate.pattern().matches(repository)) {
                return candidate;
            }
        }
        return best;
    }
}

package io.nativesidecar.policy;

/** Where an annotation asks a converted sidecar to go among the init containers. */
public record Placement(Kind kind, String anchor) {

    /** The three forms of {@code nativesidecar.io/placement.<container>}. */
    public enum Kind {
        /** Right after the mesh setup containers and the mesh proxy, before the other init containers. */
        BEFORE_INIT,
        /** After all existing init containers. */
        AFTER_INIT,
        /** Right after the named init container. */
        AFTER
    }

    public static final Placement BEFORE_INIT = new Placement(Kind.BEFORE_INIT, null);
    public static final Placement AFTER_INIT = new Placement(Kind.AFTER_INIT, null);

    public static Placement after(String anchor) {
        return new Placement(Kind.AFTER, anchor);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case BEFORE_INIT -> "before-init";
            case AFTER_INIT -> "after-init";
            case AFTER -> "after:" + anchor;
        };
    }
}

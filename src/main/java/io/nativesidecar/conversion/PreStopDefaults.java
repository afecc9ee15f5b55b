package io.nativesidecar.conversion;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ExecAction;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.SleepAction;
import io.nativesidecar.policy.PreStopOverride;
import io.nativesidecar.profile.SidecarProfile;

import java.util.List;
import java.util.Map;

/**
 * Chooses a converted sidecar's preStop hook. A native sidecar's preStop runs as soon as pod
 * termination begins, while the app is still draining; the sidecar's SIGTERM only comes after the
 * app exited and this hook returned. So a hook here means "keep serving until this is done".
 */
final class PreStopDefaults {

    /**
     * The hook to set (null for none), where it came from, the seconds of a sleep that this
     * conversion introduced (0 when none), which the pod's grace period must cover, and whether the
     * profile wrote it (its named ports are then checked against the container).
     */
    record Choice(LifecycleHandler handler, String source, int addedSleepSeconds, boolean fromProfile) {
        Choice(LifecycleHandler handler, String source, int addedSleepSeconds) {
            this(handler, source, addedSleepSeconds, false);
        }
    }

    private PreStopDefaults() {
    }

    static Choice choose(Container sidecar, PreStopOverride override, SidecarProfile profile, ClusterFacts cluster,
                         Map<String, String> parameters) {
        LifecycleHandler existing = sidecar.getLifecycle() == null ? null : sidecar.getLifecycle().getPreStop();
        if (override instanceof PreStopOverride.None) {
            return new Choice(null, "none, by annotation", 0);
        }
        if (override instanceof PreStopOverride.Sleep sleep) {
            return new Choice(sleep(sleep.seconds(), cluster), "sleep " + sleep.seconds() + "s, by annotation",
                    sleep.seconds());
        }
        if (override instanceof PreStopOverride.Handler handler) {
            LifecycleHandler hook = handler.handler();
            int sleepSeconds = hook.getSleep() == null || hook.getSleep().getSeconds() == null
                    ? 0 : hook.getSleep().getSeconds().intValue();
            return new Choice(hook, "from annotation", sleepSeconds);
        }
        if (existing != null && (profile == null || !profile.replaceExistingPreStop())) {
            return new Choice(existing, "kept", 0);
        }
        if (profile != null && profile.preStop() != null) {
            LifecycleHandler hook = ParameterSubstitution.handler(profile.preStop(), parameters);
            if (hook.getSleep() != null) {
                // Validated from 1 s to a day when the profile was read; the built-in sleep needs a 1.30 API server.
                int seconds = hook.getSleep().getSeconds().intValue();
                return new Choice(sleep(seconds, cluster), "sleep " + seconds + "s, from profile", seconds);
            }
            return new Choice(hook, "from profile", 0, true);
        }
        return new Choice(null, existing != null ? "none, the profile replaces the container's own" : "none", 0);
    }

    /** The built-in sleep action needs no shell in the image, but only API servers from 1.30 accept it. */
    private static LifecycleHandler sleep(int seconds, ClusterFacts cluster) {
        LifecycleHandler handler = new LifecycleHandler();
        if (cluster.sleepActionSupported()) {
            handler.setSleep(new SleepAction((long) seconds));
        } else {
            handler.setExec(new ExecAction(List.of("sleep", Integer.toString(seconds))));
        }
        return handler;
    }
}

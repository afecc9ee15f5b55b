package io.nativesidecar.conversion;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ExecAction;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.SleepAction;
import io.nativesidecar.policy.PreStopOverride;
import io.nativesidecar.profile.ProfileParameters;
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
     * The hook to set (null for none), where it came from, and the seconds of a sleep that this
     * conversion introduced (0 when none), which the pod's grace period must cover.
     */
    record Choice(LifecycleHandler handler, String source, int addedSleepSeconds) {
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
        if (existing != null) {
            return new Choice(existing, "kept", 0);
        }
        if (profile != null && profile.preStop() != null) {
            LifecycleHandler hook = ProfileParameters.handler(profile.preStop(), parameters);
            long sleep = hook.getSleep() == null || hook.getSleep().getSeconds() == null ? 0 : hook.getSleep().getSeconds();
            return new Choice(hook, "from profile", (int) sleep);
        }
        return new Choice(null, "none", 0);
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

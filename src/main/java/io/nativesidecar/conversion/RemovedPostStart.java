package io.nativesidecar.conversion;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.nativesidecar.profile.SidecarProfile;

import java.util.List;

/**
 * Recognises a postStart hook that a profile removes, such as Istio's {@code pilot-agent wait},
 * Linkerd's {@code linkerd-await} or Kuma's {@code kuma-dp wait}: as a classic sidecar it blocks the
 * next container's start until the proxy is ready; as a native sidecar the startupProbe does that,
 * and each mesh's own native mode drops the hook.
 */
final class RemovedPostStart {

    private RemovedPostStart() {
    }

    /** The removed hook's command, for {@code --explain}, or null when the container has none to remove. */
    static String of(Container container, SidecarProfile profile) {
        if (profile == null || profile.removePostStart().isEmpty() || container.getLifecycle() == null) {
            return null;
        }
        LifecycleHandler postStart = container.getLifecycle().getPostStart();
        if (postStart == null || postStart.getExec() == null || postStart.getExec().getCommand() == null) {
            return null;
        }
        List<String> command = postStart.getExec().getCommand();
        for (List<String> removed : profile.removePostStart()) {
            if (startsWith(command, removed)) {
                return String.join(" ", removed);
            }
        }
        return null;
    }

    /** The command starts with these words, its program compared by file name ({@code /usr/local/bin/pilot-agent}). */
    private static boolean startsWith(List<String> command, List<String> words) {
        if (command.size() < words.size()) {
            return false;
        }
        for (int i = 0; i < words.size(); i++) {
            String actual = command.get(i);
            String wanted = words.get(i);
            if (actual == null || !(i == 0 ? programName(actual).equals(programName(wanted)) : actual.equals(wanted))) {
                return false;
            }
        }
        return true;
    }

    private static String programName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}

package io.nativesidecar.conversion;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LifecycleHandler;

import java.util.List;

/**
 * Recognises the postStart hook {@code pilot-agent wait} that Istio's holdApplicationUntilProxyStarts
 * puts on a classic istio-proxy. It blocks the next container's start until Envoy is ready; as a
 * native sidecar the startupProbe does that, and Istio's native mode drops the hook.
 */
final class LegacyIstioPostStart {

    private static final String ISTIO_PROXY = "istio-proxy";

    private LegacyIstioPostStart() {
    }

    static boolean isPresent(Container container) {
        if (!ISTIO_PROXY.equals(container.getName()) || container.getLifecycle() == null) {
            return false;
        }
        LifecycleHandler postStart = container.getLifecycle().getPostStart();
        if (postStart == null || postStart.getExec() == null) {
            return false;
        }
        List<String> command = postStart.getExec().getCommand();
        return command != null && command.size() >= 2
                && command.get(0) != null && command.get(0).endsWith("pilot-agent")
                && "wait".equals(command.get(1));
    }
}

package io.nativesidecar.conversion;

import io.fabric8.kubernetes.api.model.ExecAction;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Probe;

import java.util.List;

/**
 * The start-up probe and preStop hook that a well-known sidecar gets when it has none of its own.
 *
 * @param startupPath    HTTP path of the start-up check
 * @param startupPort    port of the start-up check
 * @param startupTimeout timeoutSeconds of the start-up check
 * @param preStopCommand exec command of the preStop hook, empty for none
 */
public record SidecarProfile(String startupPath, int startupPort, int startupTimeout, List<String> preStopCommand) {

    /** Istio's own native-sidecar template: readiness endpoint as start-up gate, drain on preStop. */
    public static final SidecarProfile ISTIO_PROXY = new SidecarProfile("/healthz/ready", 15021, 3,
            List.of("pilot-agent", "request", "--debug-port=15020", "POST", "drain"));

    /** A new startupProbe object, so that no two pods share a mutable one. */
    Probe startupProbe(int failureThreshold) {
        HTTPGetAction httpGet = new HTTPGetAction();
        httpGet.setPath(startupPath);
        httpGet.setPort(new IntOrString(startupPort));
        Probe probe = new Probe();
        probe.setHttpGet(httpGet);
        probe.setPeriodSeconds(1);
        probe.setTimeoutSeconds(startupTimeout);
        probe.setFailureThreshold(failureThreshold);
        return probe;
    }

    /** A new preStop handler, or null when the profile has none. */
    LifecycleHandler preStop() {
        if (preStopCommand.isEmpty()) {
            return null;
        }
        LifecycleHandler handler = new LifecycleHandler();
        handler.setExec(new ExecAction(List.copyOf(preStopCommand)));
        return handler;
    }
}

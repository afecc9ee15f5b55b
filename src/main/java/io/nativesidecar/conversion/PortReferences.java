package io.nativesidecar.conversion;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Probe;

/**
 * Named ports in annotation-given handlers. The API server accepts any well-formed port name, but
 * the kubelet resolves it against the container's own ports: a startupProbe on a missing name
 * never succeeds (so the app never starts), a preStop on one silently never drains.
 */
final class PortReferences {

    private PortReferences() {
    }

    /** The first port name the probe uses that the container does not declare, or null. */
    static String missing(Container container, Probe probe) {
        if (probe == null) {
            return null;
        }
        String missing = missing(container, probe.getHttpGet() == null ? null : probe.getHttpGet().getPort());
        return missing != null ? missing
                : missing(container, probe.getTcpSocket() == null ? null : probe.getTcpSocket().getPort());
    }

    /** The first port name the hook uses that the container does not declare, or null. */
    static String missing(Container container, LifecycleHandler handler) {
        if (handler == null) {
            return null;
        }
        String missing = missing(container, handler.getHttpGet() == null ? null : handler.getHttpGet().getPort());
        return missing != null ? missing
                : missing(container, handler.getTcpSocket() == null ? null : handler.getTcpSocket().getPort());
    }

    private static String missing(Container container, IntOrString port) {
        if (port == null || port.getStrVal() == null) {
            return null;
        }
        String name = port.getStrVal();
        if (container.getPorts() != null) {
            for (ContainerPort declared : container.getPorts()) {
                if (declared != null && name.equals(declared.getName())) {
                    return null;
                }
            }
        }
        return name;
    }
}

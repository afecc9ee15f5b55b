package io.nativesidecar.conversion;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.TCPSocketAction;

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
        return probe == null ? null : missing(container, probe.getHttpGet(), probe.getTcpSocket());
    }

    /** The first port name the hook uses that the container does not declare, or null. */
    static String missing(Container container, LifecycleHandler handler) {
        return handler == null ? null : missing(container, handler.getHttpGet(), handler.getTcpSocket());
    }

    private static String missing(Container container, HTTPGetAction httpGet, TCPSocketAction tcpSocket) {
        String missing = httpGet == null ? null : missing(container, httpGet.getPort());
        return missing != null || tcpSocket == null ? missing : missing(container, tcpSocket.getPort());
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

package io.nativesidecar.cluster;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Whether a Kubernetes API is there to ask: in-cluster credentials, a kubeconfig, or a configured URL. */
final class ApiAccess {

    static final Path SERVICE_ACCOUNT_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

    private ApiAccess() {
    }

    static boolean available(Optional<String> configuredUrl, Map<String, String> environment, Path home) {
        if (configuredUrl.isPresent() && !configuredUrl.get().isBlank()) {
            return true;
        }
        if (environment.get("KUBERNETES_SERVICE_HOST") != null && Files.exists(SERVICE_ACCOUNT_TOKEN)) {
            return true;
        }
        String kubeconfig = environment.get("KUBECONFIG");
        if (kubeconfig != null && !kubeconfig.isBlank()) {
            for (String file : kubeconfig.split(File.pathSeparator)) {
                if (!file.isBlank() && Files.isRegularFile(Path.of(file))) {
                    return true;
                }
            }
            return false;
        }
        return home != null && Files.isRegularFile(home.resolve(".kube").resolve("config"));
    }
}

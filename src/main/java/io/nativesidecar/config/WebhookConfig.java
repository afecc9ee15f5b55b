package io.nativesidecar.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The server's configuration ({@code nativesidecar.*}; environment variables such as
 * {@code NATIVESIDECAR_SIDECARS}). Every default works locally with no setup.
 */
@ConfigMapping(prefix = "nativesidecar")
public interface WebhookConfig {

    /**
     * Container names converted in every opted-in pod, beside those a sidecar profile converts by
     * default; pods add more with {@code nativesidecar.io/sidecars}. When set, it replaces the
     * configuration file's {@code sidecars}.
     */
    Optional<List<String>> sidecars();

    /**
     * failureThreshold of added startup probes that set none; with periodSeconds 1 it is the seconds a
     * sidecar may take to start. When set, it replaces the configuration file's {@code startupFailureThreshold}.
     */
    OptionalInt startupFailureThreshold();

    /**
     * The configuration file: sidecar profiles that replace or add to the built-in catalogue, the
     * {@code sidecars} list and the {@code startupFailureThreshold} (see {@code print-config}). A bad
     * file stops the server at start-up (exit 1, the error naming file, line and field); a file that
     * changes later is used without a restart, and a bad change is logged and counted while the last
     * good configuration stays in force. Unset: the built-in catalogue.
     */
    Optional<String> config();

    /** How often the configuration file is compared with what is in force (a ConfigMap update lands within a minute). */
    @WithDefault("10s")
    java.time.Duration configReloadPeriod();

    /** The serving certificate. */
    Tls tls();

    /** The admission endpoint. */
    Admission admission();

    /** Knowledge of the cluster (API server and kubelet versions). */
    Cluster cluster();

    /** Where the serving certificate comes from. */
    Certificates certificates();

    /** Kubernetes Events on the workloads whose pods are converted or skipped. */
    Events events();

    /** See {@code io.nativesidecar.events.WorkloadEvents}. */
    interface Events {
        /**
         * Record Events on a pod's owning workload (a ReplicaSet resolved to its Deployment, a Job to its CronJob):
         * which sidecars were converted, or why they were not. Needs API access and RBAC to create events and get
         * replicasets and jobs.
         */
        @WithDefault("true")
        boolean enabled();

        /** Events waiting to be sent; when the API is slow and this is full, more are dropped and counted. */
        @WithDefault("256")
        int queueSize();

        /** The same owner, reason and message is recorded once within this long; the next one counts those held back. */
        @WithDefault("10m")
        java.time.Duration aggregationWindow();
    }

    /** Certificate provisioning. */
    interface Certificates {
        /**
         * {@code files}: serve {@code nativesidecar.tls.cert-file}/{@code key-file} (cert-manager or any
         * mounted Secret), or a generated self-signed pair when none are set. {@code self-managed}: the
         * server keeps a CA and serving certificate in a Secret itself, patches the caBundle and renews.
         */
        @WithDefault("files")
        Mode mode();

        /** Secret holding the self-managed CA and serving certificate, in the server's namespace. */
        @WithDefault("native-sidecar-webhook-tls")
        String secretName();

        /** The server's namespace; defaults to POD_NAMESPACE or the service account's namespace. */
        Optional<String> namespace();

        /** The Service the API server calls; its DNS names go into the serving certificate. */
        @WithDefault("native-sidecar-webhook")
        String serviceName();

        /** The MutatingWebhookConfiguration whose caBundle is kept patched. */
        @WithDefault("native-sidecar-webhook")
        String webhookConfiguration();

        /** Writable directory for the served PEM files (an emptyDir with a read-only root filesystem). */
        @WithDefault("/tmp/native-sidecar-webhook/tls")
        String directory();

        /** Lifetime of the self-managed CA. */
        @WithDefault("3650d")
        java.time.Duration caValidity();

        /** Lifetime of each serving certificate. */
        @WithDefault("90d")
        java.time.Duration servingValidity();

        /** Renew the serving certificate when less than this remains. */
        @WithDefault("30d")
        java.time.Duration renewBefore();

        /** How often the Secret is checked for renewal and for another replica's renewal. */
        @WithDefault("1h")
        java.time.Duration checkEvery();

        /** See {@link #mode()}. */
        enum Mode { FILES, SELF_MANAGED }
    }

    /** Serving certificate and key, e.g. a mounted kubernetes.io/tls Secret. */
    interface Tls {
        /**
         * PEM certificate chain. With neither this nor {@link #keyFile()} set, the server generates a
         * self-signed certificate at start-up (and warns): fine locally, never trusted by an API server.
         * Set, it wins over a key store configured under {@code quarkus.tls.webhook.key-store}.
         */
        Optional<String> certFile();

        /** PEM private key belonging to {@link #certFile()}. */
        Optional<String> keyFile();

        /** How often the certificate files are compared with what is served; a change is served without a restart. */
        @WithDefault("30s")
        java.time.Duration reloadPeriod();
    }

    /** How the server learns which Kubernetes versions it is converting for. */
    interface Cluster {
        /**
         * {@code auto}: use the Kubernetes API when the server runs in a cluster or finds a kubeconfig
         * (then nothing is converted until versions are known); {@code none}: never ask, assume a
         * cluster that runs native sidecars (local runs).
         */
        @WithDefault("auto")
        Access access();

        /** Check the kubelet of every node a pod may land on, not only the API server. */
        @WithDefault("true")
        boolean checkNodes();

        /** How often the API server's version is read again (it changes during control-plane upgrades). */
        @WithDefault("5m")
        java.time.Duration versionRefresh();

        /** See {@link #access()}. */
        enum Access { AUTO, NONE }
    }

    /** Behaviour of {@code POST /mutate}. */
    interface Admission {
        /**
         * Also send the audit annotation under the contract's key {@code nativesidecar.io/converted}.
         * The API server prefixes audit keys with the webhook's name and rejects a key that already
         * has a prefix (it logs a warning and drops it), so {@code converted} is always sent too and
         * is the one that reaches the audit log, as {@code <webhook-name>/converted}.
         */
        @WithDefault("true")
        boolean contractAuditKey();

        /** Most distinct container names tracked in the per-container metric; the rest count as {@code other}. */
        @WithDefault("64")
        int maxContainerLabels();

        /**
         * Sample reviews answered in-process at start-up, before readiness (then 2 more over HTTPS), so that the
         * first real one is fast; 0 = no warm-up, ready once the HTTPS server listens (figures in bench/README.md).
         */
        @WithDefault("20")
        int warmUpReviews();

        /**
         * How long a review body may take to arrive whole, from its headers; then the answer is a 408 and the
         * connection is closed. API servers give a webhook at most 30 s (10 s by default).
         */
        @WithDefault("10s")
        java.time.Duration bodyReadTimeout();
    }
}

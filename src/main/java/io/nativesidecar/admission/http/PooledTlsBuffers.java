package io.nativesidecar.admission.http;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Lets the JDK TLS engine encrypt into pooled buffers. Vert.x pools only direct buffers by default,
 * and the JDK engine works on heap buffers: every record wrapped and unwrapped was a fresh array
 * (a large share of the server's allocation under load: bench/README.md).
 */
@ApplicationScoped
public class PooledTlsBuffers implements HttpServerOptionsCustomizer {

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        if (options.getSslEngineOptions() == null || options.getSslEngineOptions() instanceof JdkSSLEngineOptions) {
            JdkSSLEngineOptions engine = options.getSslEngineOptions() == null
                    ? new JdkSSLEngineOptions() : new JdkSSLEngineOptions((JdkSSLEngineOptions) options.getSslEngineOptions());
            options.setSslEngineOptions(engine.setPooledHeapBuffers(true));
        }
    }
}

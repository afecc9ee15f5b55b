package io.nativesidecar.admission;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.ByteArrayInputStream;
import java.util.Arrays;

/**
 * {@code POST /mutate}: the endpoint the API server calls for every pod created in an opted-in namespace,
 * served on Vert.x's router, on the I/O thread. The work is a few hundred microseconds of CPU for a usual
 * pod (1.5–5 ms for a 1 MiB one), and a thread hop would cost more than it.
 * <p>
 * A route of its own rather than a Quarkus REST resource: Quarkus REST copied every body twice before the
 * endpoint saw it (each chunk into an array, then the chunks into one), 15 % of all allocation per hello
 * review (JFR). Here a body that arrives in one chunk (the usual pod) is parsed where Vert.x put it, and a
 * longer one is copied once, into an array of its announced length.
 * <p>
 * HTTP answers, per the contract: a body over the limit ({@code quarkus.http.limits.max-body-size}, 6 MiB)
 * is a 413 while it is read (an announced length over it is refused by Quarkus before this route runs); a
 * Content-Type other than JSON, or none, is a 415; a method other than POST a 405; anything that is not a
 * review a 400 with {@code {"error": "..."}}. An unexpected exception is a 400 and an error log, never a 5xx.
 */
@ApplicationScoped
public class MutateRoute {

    static final String PATH = "/mutate";
    private static final Logger LOG = Logger.getLogger(MutateRoute.class);
    private static final String JSON = "application/json";

    private final AdmissionPath path;
    private final long maxBodySize;

    public MutateRoute(AdmissionPath path, @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.path = path;
        this.maxBodySize = maxBodySize.asLongValue();
    }

    void register(@Observes Router router) {
        router.route(PATH).order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(this::handle);
    }

    void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        try {
            if (request.method() != HttpMethod.POST) {
                context.response().putHeader(HttpHeaderNames.ALLOW, "POST");
                refuse(context, 405, "only POST is allowed on " + PATH);
            } else if (!isJson(request.getHeader(HttpHeaderNames.CONTENT_TYPE))) {
                // JAX-RS would take a body without a type for JSON; the contract asks for JSON explicitly.
                refuse(context, 415, "Content-Type must be application/json");
            } else {
                new Body(context).read();
            }
        } catch (RuntimeException e) {
            unexpected(context, e);
        }
    }

    /** {@code application/json}, with or without parameters such as a charset, in any case. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int end = contentType.indexOf(';');
        return (end < 0 ? contentType : contentType.substring(0, end)).trim().equalsIgnoreCase(JSON);
    }

    /** One request's body, collected until its end; a first chunk is kept as Vert.x made it. */
    private final class Body {
        private final RoutingContext context;
        private final long announced;
        private Buffer first;
        private byte[] joined;
        private int size;
        private boolean refused;

        Body(RoutingContext context) {
            this.context = context;
            this.announced = announcedLength(context.request());
        }

        void read() {
            HttpServerRequest request = context.request();
            if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaderNames.EXPECT))) {
                context.response().writeContinue();
            }
            request.handler(this::chunk);
            request.endHandler(ignored -> end());
            // A client that goes away mid-body has nobody left to answer.
            request.exceptionHandler(e -> LOG.debugf("request body broke off: %s", e.toString()));
        }

        private void chunk(Buffer chunk) {
            if (refused) {
                return;
            }
            try {
                if ((long) size + chunk.length() > maxBodySize) {
                    refused = true;
                    refuse(context, 413, "the body is over " + maxBodySize + " bytes");
                    return;
                }
                if (first == null && joined == null) {
                    first = chunk;
                } else {
                    join(chunk);
                }
                size += chunk.length();
            } catch (RuntimeException e) {
                refused = true;
                unexpected(context, e);
            }
        }

        private void join(Buffer chunk) {
            if (joined == null) {
                int capacity = (int) Math.min(maxBodySize, Math.max(announced, 2L * (size + chunk.length())));
                joined = new byte[capacity];
                first.getBytes(joined, 0);
                first = null;
            } else if (size + chunk.length() > joined.length) {
                joined = Arrays.copyOf(joined, (int) Math.min(maxBodySize, Math.max(size + chunk.length(), 2L * joined.length)));
            }
            chunk.getBytes(joined, size);
        }

        private void end() {
            if (refused) {
                return;
            }
            try {
                AdmissionPath.Answer answer = path.answer(stream());
                if (answer.review() == null) {
                    refuse(context, 400, answer.error());
                } else {
                    context.response().putHeader(HttpHeaderNames.CONTENT_TYPE, JSON)
                            .end(Buffer.buffer(Unpooled.wrappedBuffer(answer.review())));
                }
            } catch (RuntimeException e) {
                unexpected(context, e);
            }
        }

        /** The body, in place where it can be. */
        private ByteArrayInputStream stream() {
            if (joined != null) {
                return new ByteArrayInputStream(joined, 0, size);
            }
            if (first == null) {
                return new ByteArrayInputStream(new byte[0]);
            }
            ByteBuf bytes = first.getByteBuf();
            if (bytes.hasArray()) {
                return new ByteArrayInputStream(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes());
            }
            return new ByteArrayInputStream(first.getBytes());
        }
    }

    private static long announcedLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaderNames.CONTENT_LENGTH);
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * An error answer. When the body has not been read to its end the connection is closed after the
     * answer, as the rest of the body would otherwise be read as the next request.
     */
    private static void refuse(RoutingContext context, int status, String message) {
        HttpServerResponse response = context.response();
        if (response.ended() || response.closed()) {
            return;
        }
        if (!context.request().isEnded()) {
            response.putHeader(HttpHeaderNames.CONNECTION, "close");
            response.endHandler(ignored -> context.request().connection().close());
        }
        response.setStatusCode(status).putHeader(HttpHeaderNames.CONTENT_TYPE, JSON).end(ErrorBody.json(message));
    }

    private static void unexpected(RoutingContext context, RuntimeException e) {
        LOG.errorf(e, "unexpected error handling a request to %s; answered 400", PATH);
        refuse(context, 400, "the request could not be processed");
    }
}

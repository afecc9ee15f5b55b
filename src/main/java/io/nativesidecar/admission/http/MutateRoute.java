package io.nativesidecar.admission.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.nativesidecar.admission.AdmissionPath;
import io.nativesidecar.admission.BadReview;
import io.nativesidecar.config.WebhookConfig;
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
 * endpoint saw it (each chunk into an array, then the chunks into one; figures in bench/README.md). Here a body that arrives in one chunk (the usual pod) is parsed where Vert.x put it, and a
 * longer one is copied into one array that grows with what has arrived (see {@code Body}).
 * <p>
 * HTTP answers, per the contract: a body over the limit ({@code quarkus.http.limits.max-body-size}, 6 MiB)
 * is a 413 while it is read (an announced length over it is refused by Quarkus before this route runs); a
 * Content-Type other than JSON, or none, is a 415; a method other than POST a 405; a body that does not
 * arrive whole within {@code nativesidecar.admission.body-read-timeout} of its headers a 408; anything that is
 * not a review a 400. Each with {@code {"error": "..."}}. An unexpected exception is a 400 and an error
 * log, never a 5xx.
 */
@ApplicationScoped
public class MutateRoute {

    static final String PATH = "/mutate";
    private static final Logger LOG = Logger.getLogger(MutateRoute.class);
    private static final String JSON = "application/json";

    /** What a body's first copy holds at most before more of it has arrived. */
    static final int FIRST_COPY = 64 * 1024;

    private final AdmissionPath path;
    private final WarmUp warmUp;
    private final long maxBodySize;
    private final long bodyReadTimeoutMillis;

    public MutateRoute(AdmissionPath path, WarmUp warmUp, WebhookConfig config,
                       @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.path = path;
        this.warmUp = warmUp;
        this.maxBodySize = maxBodySize.asLongValue();
        this.bodyReadTimeoutMillis = Math.max(1, config.admission().bodyReadTimeout().toMillis());
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
                // A body without a type is refused too: the contract asks for JSON explicitly.
                refuse(context, 415, "Content-Type must be application/json");
            } else {
                new Body(context).read();
            }
        } catch (RuntimeException | StackOverflowError e) {
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

    /**
     * One request's body, collected until its end; a first chunk is kept as Vert.x made it. A body in more
     * than one chunk is copied into an array that grows with what has arrived (never to the announced length
     * at once: a client that announces 6 MiB and stops after a few KiB would pin 6 MiB). Every body, in one
     * chunk or many, must arrive whole within the body read timeout of its headers.
     */
    private final class Body {
        private final RoutingContext context;
        private final long announced;
        private Buffer first;
        private byte[] joined;
        private int size;
        private boolean refused;
        private long deadline = -1;

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
            // A client that goes away mid-body has nobody left to answer; what it sent is let go at once.
            request.exceptionHandler(e -> {
                LOG.debugf("request body broke off: %s", e.toString());
                refused = true;
                first = null;
                joined = null;
                cancelDeadline();
            });
            // From the headers, whatever the pieces: a client that sends them and then nothing, or one chunk
            // and never its end, would otherwise hold its connection until the idle timeout.
            if (!request.isEnded()) {
                deadline = context.vertx().setTimer(bodyReadTimeoutMillis, ignored -> tooSlow());
            }
        }

        private void chunk(Buffer chunk) {
            if (refused) {
                return;
            }
            try {
                if ((long) size + chunk.length() > maxBodySize) {
                    refused = true;
                    cancelDeadline();
                    refuse(context, 413, "the body is over " + maxBodySize + " bytes");
                    return;
                }
                if (first == null && joined == null) {
                    first = chunk;
                } else {
                    join(chunk);
                }
                size += chunk.length();
            } catch (RuntimeException | StackOverflowError e) {
                refused = true;
                cancelDeadline();
                unexpected(context, e);
            }
        }

        private void cancelDeadline() {
            if (deadline >= 0) {
                context.vertx().cancelTimer(deadline);
                deadline = -1;
            }
        }

        private void join(Buffer chunk) {
            int needed = size + chunk.length();
            if (joined == null) {
                joined = new byte[capacity(needed, Math.max(FIRST_COPY, 2L * needed))];
                first.getBytes(joined, 0);
                first = null;
            } else if (needed > joined.length) {
                joined = Arrays.copyOf(joined, capacity(needed, 2L * joined.length));
            }
            chunk.getBytes(joined, size);
        }

        /** What to hold next: {@code wanted}, but at least what is needed and at most what was announced or allowed. */
        private int capacity(int needed, long wanted) {
            long most = announced > 0 ? Math.min(announced, maxBodySize) : maxBodySize;
            return (int) Math.max(needed, Math.min(wanted, most));
        }

        private void tooSlow() {
            if (!refused && !context.request().isEnded()) {
                refused = true;
                joined = null;
                refuse(context, 408, "the body did not arrive within " + bodyReadTimeoutMillis + " ms");
            }
        }

        private void end() {
            cancelDeadline();
            if (refused) {
                return;
            }
            try {
                // The warm-up's own requests go through the same code with throwaway metrics.
                String warmUpToken = context.request().getHeader(WarmUpRequests.HEADER);
                AdmissionPath answering = WarmUpRequests.isOwn(warmUpToken) ? warmUp.path() : path;
                byte[] review = answering.answer(stream());
                context.response().putHeader(HttpHeaderNames.CONTENT_TYPE, JSON)
                        .end(Buffer.buffer(Unpooled.wrappedBuffer(review)));
            } catch (BadReview bad) {
                refuse(context, 400, bad.getMessage());
            } catch (RuntimeException | StackOverflowError e) {
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
     * An error answer. When a body is still coming, the connection is closed after the answer: Vert.x would
     * otherwise read the rest of a body nobody wants (up to the limit, or without one when chunked).
     */
    private static void refuse(RoutingContext context, int status, String message) {
        HttpServerResponse response = context.response();
        if (response.ended() || response.closed()) {
            return;
        }
        if (!context.request().isEnded() && hasBody(context.request())) {
            response.putHeader(HttpHeaderNames.CONNECTION, "close");
            response.endHandler(ignored -> context.request().connection().close());
        }
        response.setStatusCode(status).putHeader(HttpHeaderNames.CONTENT_TYPE, JSON).end(ErrorBody.json(message));
    }

    /** Whether the request announces a body: a length above zero, or chunks. */
    private static boolean hasBody(HttpServerRequest request) {
        return announcedLength(request) > 0 || request.getHeader(HttpHeaderNames.TRANSFER_ENCODING) != null;
    }

    private static void unexpected(RoutingContext context, Throwable e) {
        LOG.errorf(e, "unexpected error handling a request to %s; answered 400", PATH);
        refuse(context, 400, "the request could not be processed");
    }
}

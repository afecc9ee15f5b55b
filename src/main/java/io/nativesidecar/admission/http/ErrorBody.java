package io.nativesidecar.admission.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error this server returns is {@code {"error": "..."}} with a 4xx status: nothing a client
 * sends may produce a 5xx, which an API server with failurePolicy Fail would turn into a rejected pod.
 */
public final class ErrorBody {

    private static final Logger LOG = Logger.getLogger(ErrorBody.class);

    static Response response(Response.Status status, String message) {
        return response(status.getStatusCode(), message);
    }

    static Response response(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(json(message)).build();
    }

    /** {@code {"error": message}}. */
    static String json(String message) {
        return JsonNodeFactory.instance.objectNode().put("error", message).toString();
    }

    /** 404, 405, 415 and the like keep their status, with our body. */
    @ServerExceptionMapper
    public Response mapWebApplicationException(WebApplicationException e) {
        int status = e.getResponse() == null ? 400 : e.getResponse().getStatus();
        if (status >= 500) {
            LOG.errorf(e, "request failed with %d; answered 400", status);
            status = 400;
        }
        return response(status, e.getMessage() == null ? Response.Status.fromStatusCode(status).getReasonPhrase() : e.getMessage());
    }

    /** Anything unexpected: a client error, never a 5xx; logged so that it can be fixed. */
    @ServerExceptionMapper
    public Response mapUnexpected(RuntimeException e) {
        LOG.errorf(e, "unexpected error handling a request; answered 400");
        return response(Response.Status.BAD_REQUEST, "the request could not be processed");
    }
}

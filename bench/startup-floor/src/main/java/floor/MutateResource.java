package floor;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** Reads the review into a map and answers it: Jackson and the HTTPS path, and nothing of the webhook's. */
@Path("/mutate")
public class MutateResource {

    private final ObjectMapper mapper;

    public MutateResource(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<?, ?> mutate(InputStream body) throws IOException {
        return mapper.readValue(body, Map.class);
    }
}

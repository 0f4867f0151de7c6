package dev.tradeplane.common.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.tradeplane.model.FieldError;
import dev.tradeplane.model.Problem;
import dev.tradeplane.model.ProblemTypes;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where failures become {@code application/problem+json}. Answers never carry class names or
 * stack traces; an unexpected error is logged with an id that the answer quotes.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private final ObjectMapper mapper;

    @Inject
    public ProblemMappers(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        Response.ResponseBuilder builder = respond(e.problem(), uri);
        e.headers().forEach(builder::header);
        return builder.build();
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        return respond(fromJson(e), uri).build();
    }

    // Quarkus maps these Jackson types itself unless a mapper names them exactly.
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        return respond(fromJson(e), uri).build();
    }

    @ServerExceptionMapper
    public Response mapping(JsonMappingException e, UriInfo uri) {
        return respond(fromJson(e), uri).build();
    }

    @ServerExceptionMapper
    public Response parse(JsonParseException e, UriInfo uri) {
        return respond(fromJson(e), uri).build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException json) {
            return respond(fromJson(json), uri).build();
        }
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        Problem problem = switch (e) {
            case NotFoundException nf -> Problem.of(ProblemTypes.NOT_FOUND, "Not found", 404, "No resource at this path.");
            case NotAllowedException na -> Problem.of(ProblemTypes.METHOD_NOT_ALLOWED, "Method not allowed", 405,
                    "Allowed: " + String.join(", ", na.getResponse().getAllowedMethods()));
            case NotSupportedException ns -> Problem.of(ProblemTypes.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type", 415,
                    "Send the body as application/json.");
            case NotAcceptableException na -> Problem.of(ProblemTypes.NOT_ACCEPTABLE, "Not acceptable", 406,
                    "This resource answers application/json.");
            default -> status == 413
                    ? Problem.of(ProblemTypes.PAYLOAD_TOO_LARGE, "Payload too large", 413, "The request body is too large.")
                    : status >= 500 ? internal(e) : Problem.of(ProblemTypes.INVALID_REQUEST, "Invalid request", status,
                            "The request could not be processed.");
        };
        Response.ResponseBuilder builder = respond(problem, uri);
        if (e instanceof NotAllowedException na) {
            builder.allow(na.getResponse().getAllowedMethods());
        }
        return builder.build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        if (e instanceof ProblemException p) {
            return problem(p, uri);
        }
        if (e.getCause() instanceof ProblemException p) {
            return problem(p, uri);
        }
        if (Outages.isDatabaseOrNetworkOutage(e)) {
            LOG.warnf("Answering 503: %s", e.getMessage());
            return respond(Problem.of(ProblemTypes.SERVICE_UNAVAILABLE, "Service unavailable", 503,
                    "A store this service depends on is unreachable; nothing was done. Retry shortly."), uri)
                    .header("Retry-After", "2").build();
        }
        return respond(internal(e), uri).build();
    }

    private Problem internal(Throwable e) {
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected error %s", errorId);
        return Problem.of(ProblemTypes.INTERNAL, "Internal error", 500,
                "An unexpected error occurred; quote error id " + errorId + " when reporting it.");
    }

    private Response.ResponseBuilder respond(Problem problem, UriInfo uri) {
        Problem withInstance = problem.instance() == null && uri != null ? problem.withInstance("/" + uri.getPath().replaceFirst("^/", "")) : problem;
        String body;
        try {
            body = mapper.writeValueAsString(withInstance);
        } catch (JsonProcessingException impossible) {
            body = "{\"title\":\"Internal error\",\"status\":500}";
        }
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(body);
    }

    /** Turns a JSON parse or binding failure into a 400 naming the field, without leaking Java types. */
    static Problem fromJson(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            return Problem.of(ProblemTypes.MALFORMED_JSON, "Malformed JSON", 400,
                    "A number or nesting in the body is longer than allowed.");
        }
        if (e instanceof JsonParseException || !(e instanceof JsonMappingException mapping)) {
            return Problem.of(ProblemTypes.MALFORMED_JSON, "Malformed JSON", 400, "The body is not valid JSON"
                    + location(e) + ".");
        }
        String field = fieldPath(mapping);
        String message = switch (mapping) {
            case UnrecognizedPropertyException u -> "unknown field";
            case InvalidFormatException f when f.getTargetType() != null && f.getTargetType().isEnum() ->
                    "must be one of " + Arrays.stream(f.getTargetType().getEnumConstants()).map(Object::toString)
                            .collect(Collectors.joining(", "));
            case InvalidFormatException f when f.getTargetType() == java.math.BigDecimal.class -> "must be a decimal number";
            case InvalidFormatException f when f.getTargetType() == Integer.class || f.getTargetType() == int.class -> "must be a whole number";
            case InvalidFormatException f -> "has an invalid value";
            case ValueInstantiationException v -> "has an invalid value";
            case MismatchedInputException m when m.getTargetType() == java.math.BigDecimal.class -> "must be a decimal number";
            case MismatchedInputException m when m.getTargetType() == String.class -> "must be a string";
            case MismatchedInputException m -> field.isEmpty() ? "the body must be a JSON object" : "has the wrong type";
            default -> "is invalid";
        };
        if (field.isEmpty()) {
            return Problem.of(ProblemTypes.MALFORMED_JSON, "Malformed JSON", 400, capitalize(message) + ".");
        }
        return Problem.of(ProblemTypes.INVALID_REQUEST, "Invalid request", 400, field + ": " + message)
                .withErrors(List.of(new FieldError(field, message)));
    }

    private static String fieldPath(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}

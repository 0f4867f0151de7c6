package dev.tradeplane.common.security;

/** Who is calling ({@code token:api}, {@code token:admin} or {@code jwt:<subject>}) and with which role. */
public record Caller(String id, Role role) {

    /** The id of who made this request (set by the auth filter), for audit lines; {@code unknown} when nobody was. */
    public static String idOf(jakarta.ws.rs.container.ContainerRequestContext request) {
        return request.getProperty(Role.PROPERTY) instanceof Caller caller ? caller.id() : "unknown";
    }
}

package dev.tradeplane.common.security;

import dev.tradeplane.common.problem.Problems;
import dev.tradeplane.model.Problem;
import dev.tradeplane.model.ProblemTypes;
import dev.tradeplane.common.problem.ProblemException;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import java.lang.reflect.Method;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every request but the public paths, by {@code X-OPS-TOKEN} or by a bearer JWT (401 without a valid
 * one), limits each caller's request rate (429), and checks the endpoint's role: {@link Allowed}, {@link AdminOnly},
 * or by default read-only for {@code GET} and trader for the rest (403 below it).
 */
public class TokenAuthFilter {

    private static final String BEARER = "Bearer ";

    private final TokenVerifier verifier;
    private final JwtVerifier jwt;
    private final CallerRateLimiter limiter;

    public TokenAuthFilter(TokenVerifier verifier, JwtVerifier jwt, CallerRateLimiter limiter) {
        this.verifier = verifier;
        this.jwt = jwt;
        this.limiter = limiter;
    }

    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION)
    public void authenticate(ContainerRequestContext request) {
        if (verifier.isPublic(request.getUriInfo().getRequestUri().getRawPath())) {
            return;
        }
        Caller caller = identify(request);
        if (!limiter.tryAcquire(caller.id())) {
            throw new ProblemException(Problem.of(ProblemTypes.RATE_LIMITED, "Too many requests", 429,
                    "Caller " + caller.id() + " is above " + limiter.perSecond() + " requests per second (tradeplane.auth.rate-limit)."))
                    .withHeader("Retry-After", "1");
        }
        request.setProperty(Role.PROPERTY, caller);
    }

    private Caller identify(ContainerRequestContext request) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            try {
                return jwt.verify(authorization.substring(BEARER.length()).strip());
            } catch (JwtVerifier.Refused e) {
                throw Problems.unauthorized(e.getMessage());
            }
        }
        String given = request.getHeaderString(AuthConfig.HEADER);
        if (given == null || given.isEmpty()) {
            throw Problems.unauthorized("Send the API token in the " + AuthConfig.HEADER + " header"
                    + (jwt.enabled() ? ", or a JWT as Authorization: Bearer." : "."));
        }
        Optional<Caller> caller = verifier.callerOf(given);
        if (caller.isEmpty()) {
            throw Problems.unauthorized("The " + AuthConfig.HEADER + " token is not valid.");
        }
        return caller.get();
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    public void authorize(ContainerRequestContext request, ResourceInfo resource) {
        if (resource == null || resource.getResourceMethod() == null || !(request.getProperty(Role.PROPERTY) instanceof Caller caller)) {
            return;
        }
        Role needed = required(resource.getResourceMethod(), resource.getResourceClass(), request.getMethod());
        if (!caller.role().includes(needed)) {
            throw Problems.forbidden("This needs the " + needed.wireName() + " role; " + caller.id() + " has " + caller.role().wireName()
                    + (needed == Role.ADMIN ? " (send ADMIN_TOKEN in " + AuthConfig.HEADER + ", or a JWT with group admin)." : "."));
        }
    }

    /** The least role an endpoint needs. */
    public static Role required(Method method, Class<?> type, String httpMethod) {
        if (method.isAnnotationPresent(AdminOnly.class) || type.isAnnotationPresent(AdminOnly.class)) {
            return Role.ADMIN;
        }
        Allowed allowed = method.getAnnotation(Allowed.class);
        if (allowed == null) {
            allowed = type.getAnnotation(Allowed.class);
        }
        if (allowed != null) {
            return allowed.value();
        }
        return HttpMethod.GET.equals(httpMethod) || HttpMethod.HEAD.equals(httpMethod) ? Role.READ_ONLY : Role.TRADER;
    }
}

package dev.tradeplane.common.problem;

import dev.tradeplane.model.Problem;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ends a request with an {@code application/problem+json} answer. Thrown by services for every expected
 * failure; the global mapper turns it into the response. Carries no stack trace: it is an answer, not a bug.
 */
public final class ProblemException extends RuntimeException {

    private final Problem problem;
    private final Map<String, String> headers;

    public ProblemException(Problem problem) {
        this(problem, Map.of());
    }

    private ProblemException(Problem problem, Map<String, String> headers) {
        super(problem.title() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
        this.headers = headers;
    }

    public Problem problem() {
        return problem;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public int status() {
        return problem.status();
    }

    /** The same problem with one more response header, e.g. {@code Retry-After}. */
    public ProblemException withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new ProblemException(problem, Map.copyOf(copy));
    }
}

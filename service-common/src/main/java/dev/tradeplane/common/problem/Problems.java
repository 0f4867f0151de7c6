package dev.tradeplane.common.problem;

import dev.tradeplane.model.FieldError;
import dev.tradeplane.model.Problem;
import dev.tradeplane.model.ProblemTypes;
import dev.tradeplane.model.RejectReason;
import java.math.BigDecimal;
import java.util.List;

/** Factories for the problems both services answer with, so titles stay the same everywhere. */
public final class Problems {

    private Problems() {}

    public static ProblemException invalid(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid; see errors";
        return new ProblemException(Problem.of(ProblemTypes.INVALID_REQUEST, "Invalid request", 400, detail)
                .withErrors(List.copyOf(errors)));
    }

    public static ProblemException invalid(String field, String message) {
        return invalid(List.of(new FieldError(field, message)));
    }

    /** A valid request refused by a rule: a risk rail, a venue rule, a paused model. */
    public static ProblemException rejected(String type, String title, RejectReason reason, String detail,
                                            BigDecimal limit, BigDecimal value) {
        return new ProblemException(Problem.of(type, title, 422, detail).withReason(reason, limit, value));
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(Problem.of(ProblemTypes.UNAUTHORIZED, "Unauthorized", 401, detail));
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(Problem.of(ProblemTypes.FORBIDDEN, "Forbidden", 403, detail));
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(Problem.of(ProblemTypes.NOT_FOUND, "Not found", 404, detail));
    }

    /** 409: the request conflicts with the resource's current state (it exists already, or is not in a state for this). */
    public static ProblemException conflict(String detail) {
        return new ProblemException(Problem.of(ProblemTypes.CONFLICT, "Conflict", 409, detail));
    }

    /** 409: the resource changed since the caller read it. */
    public static ProblemException versionConflict(String detail) {
        return new ProblemException(Problem.of(ProblemTypes.VERSION_CONFLICT, "Version conflict", 409, detail));
    }

    public static ProblemException keyReused(String detail) {
        return new ProblemException(Problem.of(ProblemTypes.IDEMPOTENCY_KEY_REUSED, "Idempotency key reused", 422, detail));
    }

    public static ProblemException inFlight(String detail) {
        return new ProblemException(Problem.of(ProblemTypes.REQUEST_IN_FLIGHT, "Request in flight", 409, detail))
                .withHeader("Retry-After", "1");
    }

    public static ProblemException unavailable(String type, String title, String detail, int retryAfterSeconds) {
        return new ProblemException(Problem.of(type, title, 503, detail))
                .withHeader("Retry-After", Integer.toString(retryAfterSeconds));
    }
}

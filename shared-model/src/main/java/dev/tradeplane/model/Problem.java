package dev.tradeplane.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.util.List;

/**
 * An RFC 9457 problem ({@code application/problem+json}) with Tradeplane's extensions.
 *
 * @param type     a URI naming the kind of problem, see {@link ProblemTypes}
 * @param reason   for a refused order or signal: the machine-readable reason
 * @param limit    the limit that was broken, when a limit was
 * @param value    the value that broke it
 * @param errors   for invalid input: each field and what is wrong with it
 * @param order    for a refused cancel or replace: the order as it actually is
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        RejectReason reason,
        BigDecimal limit,
        BigDecimal value,
        List<FieldError> errors,
        String orderId,
        String signalId,
        String model,
        Order order) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(String type, String title, int status, String detail) {
        return new Problem(type, title, status, detail, null, null, null, null, null, null, null, null, null);
    }

    public Problem withInstance(String newInstance) {
        return new Problem(type, title, status, detail, newInstance, reason, limit, value, errors, orderId, signalId, model, order);
    }

    public Problem withErrors(List<FieldError> newErrors) {
        return new Problem(type, title, status, detail, instance, reason, limit, value, newErrors, orderId, signalId, model, order);
    }

    public Problem withReason(RejectReason newReason, BigDecimal newLimit, BigDecimal newValue) {
        return new Problem(type, title, status, detail, instance, newReason, newLimit, newValue, errors, orderId, signalId, model, order);
    }

    public Problem withOrder(String newOrderId) {
        return new Problem(type, title, status, detail, instance, reason, limit, value, errors, newOrderId, signalId, model, order);
    }

    /** The same problem carrying the order's actual state (e.g. a cancel that came too late). */
    public Problem withOrderState(Order newOrder) {
        return new Problem(type, title, status, detail, instance, reason, limit, value, errors, newOrder.id(), signalId, model, newOrder);
    }

    public Problem withSignal(String newSignalId, String newModel) {
        return new Problem(type, title, status, detail, instance, reason, limit, value, errors, orderId, newSignalId, newModel, order);
    }
}

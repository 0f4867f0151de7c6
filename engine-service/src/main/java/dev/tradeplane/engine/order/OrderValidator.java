package dev.tradeplane.engine.order;

import dev.tradeplane.common.problem.Problems;
import dev.tradeplane.engine.instrument.Steps;
import dev.tradeplane.engine.venue.Venues;
import dev.tradeplane.model.BracketRequest;
import dev.tradeplane.model.Decimals;
import dev.tradeplane.model.Execution;
import dev.tradeplane.model.FieldError;
import dev.tradeplane.model.Instrument;
import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.OcoRequest;
import dev.tradeplane.model.OrderRequest;
import dev.tradeplane.model.OrderType;
import dev.tradeplane.model.ReplaceRequest;
import dev.tradeplane.model.Side;
import dev.tradeplane.model.TimeInForce;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Checks requests on their face, before anything is written: every problem found is reported at once, as a 400
 * naming each field (fields of OCO legs and bracket entries are prefixed, {@code legs[1].price}).
 */
@Singleton
public class OrderValidator {

    /** Idempotency keys and client order ids: printable, no spaces, at most 64 characters. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,64}");
    /** Model names. */
    static final Pattern MODEL = Pattern.compile("[A-Za-z0-9._\\-]{1,64}");
    static final String DEFAULT_MODEL = "unassigned";
    private static final BigDecimal MAX_TRAILING_BPS = BigDecimal.valueOf(5_000);

    private final Venues venues;
    private final Clock clock;

    public OrderValidator(Venues venues, Clock clock) {
        this.venues = venues;
        this.clock = clock;
    }

    /** The idempotency key of a request: the header, else the client order id; a 400 when there is neither. */
    public String idempotencyKey(String header, String clientOrderId) {
        List<FieldError> errors = new ArrayList<>();
        if (header != null && !ID.matcher(header).matches()) {
            errors.add(new FieldError("Idempotency-Key", "must be 1 to 64 letters, digits or . _ : -"));
        }
        String key = header != null ? header : clientOrderId;
        if (key == null) {
            errors.add(new FieldError("Idempotency-Key", "send an Idempotency-Key header or a client_order_id, so a retry cannot double the order"));
        }
        if (!errors.isEmpty()) {
            throw Problems.invalid(errors);
        }
        return key;
    }

    public ValidOrder validate(OrderRequest r) {
        if (r == null) {
            throw Problems.invalid("body", "a JSON order is required");
        }
        List<FieldError> errors = new ArrayList<>();
        if (r.execution() != null) {
            errors.add(new FieldError("execution", "an execution algorithm works single orders only (POST /orders, type MARKET)"));
        }
        ValidOrder valid = check(r, "", errors);
        if (!errors.isEmpty()) {
            throw Problems.invalid(errors);
        }
        return valid;
    }

    /**
     * An order worked by an execution algorithm ({@code POST /orders} with {@code execution}): sent as MARKET with a
     * base quantity, none of the fields the algorithm sets; then every check of a plain order (symbol, side, the
     * quantity in range, model, client_order_id), the quantity on the instrument's lot, and the execution's own
     * fields. All before anything is hashed or written; answers the execution with its defaults filled in.
     */
    public Execution validateWorked(OrderRequest r) {
        if (r == null || r.execution() == null) {
            throw Problems.invalid("execution", "is required for an order worked by an algorithm");
        }
        Execution e = r.execution();
        if (e.algo() == null) {
            throw Problems.invalid("execution.algo", "required: CHASE_LIMIT");
        }
        if (r.type() != OrderType.MARKET) {
            throw Problems.invalid("type", "an order worked by an execution algorithm is sent as MARKET: the algorithm sets its prices");
        }
        if (r.quantity() == null || r.quoteQuantity() != null) {
            throw Problems.invalid("quantity", "a chased order needs a base quantity above 0 (not a quote quantity)");
        }
        if (r.price() != null || r.stopPrice() != null || r.postOnly() != null || r.timeInForce() != null || r.expireAt() != null
                || r.trailingOffset() != null || r.trailingOffsetBps() != null || r.limitOffset() != null) {
            throw Problems.invalid("execution", "price, stop_price, post_only, time_in_force, expire_at and trailing fields are set by the algorithm");
        }
        List<FieldError> errors = new ArrayList<>();
        ValidOrder valid = check(r, "", errors);
        if (valid != null && !Steps.isMultiple(valid.quantity(), valid.rules().lotSize())) {
            errors.add(new FieldError("quantity", "must be a multiple of the lot size " + valid.rules().lotSize().toPlainString()));
        }
        errors.addAll(e.errors());
        if (!errors.isEmpty()) {
            throw Problems.invalid(errors);
        }
        return e.withDefaults();
    }

    /** Both legs valid, on one instrument and model, neither a market order. */
    public List<ValidOrder> validate(OcoRequest r) {
        if (r == null || r.legs() == null || r.legs().size() != 2) {
            throw Problems.invalid("legs", "an OCO has exactly two legs");
        }
        List<FieldError> errors = new ArrayList<>();
        List<ValidOrder> legs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            OrderRequest leg = r.legs().get(i);
            if (leg == null) {
                errors.add(new FieldError("legs[" + i + "]", "is required"));
                continue;
            }
            legs.add(check(leg, "legs[" + i + "].", errors));
            if (leg.type() == OrderType.MARKET) {
                errors.add(new FieldError("legs[" + i + "].type", "an OCO leg must wait: LIMIT, STOP_MARKET, STOP_LIMIT or TRAILING_STOP"));
            }
            if (leg.quoteQuantity() != null) {
                errors.add(new FieldError("legs[" + i + "].quote_quantity", "OCO legs take a quantity"));
            }
        }
        if (errors.isEmpty()) {
            if (!legs.get(0).instrument().equals(legs.get(1).instrument())) {
                errors.add(new FieldError("legs[1].symbol", "both legs trade the same instrument"));
            }
            if (!legs.get(0).model().equals(legs.get(1).model())) {
                errors.add(new FieldError("legs[1].model", "both legs trade for the same model"));
            }
            if (legs.get(0).clientOrderId() != null && legs.get(0).clientOrderId().equals(legs.get(1).clientOrderId())) {
                errors.add(new FieldError("legs[1].client_order_id", "each leg needs its own client_order_id"));
            }
        }
        if (!errors.isEmpty()) {
            throw Problems.invalid(errors);
        }
        return legs;
    }

    /** The entry valid; the stop-loss and take-profit on the right sides of it and on the tick grid. */
    public ValidOrder validate(BracketRequest r, Optional<BigDecimal> referencePrice) {
        if (r == null || r.entry() == null) {
            throw Problems.invalid("entry", "a bracket needs an entry order");
        }
        List<FieldError> errors = new ArrayList<>();
        ValidOrder entry = check(r.entry(), "entry.", errors);
        positive(errors, "stop_loss", r.stopLoss());
        positive(errors, "take_profit", r.takeProfit());
        if (r.stopLoss() == null && r.takeProfit() == null) {
            errors.add(new FieldError("stop_loss", "a bracket needs stop_loss, take_profit or both"));
        }
        if (errors.isEmpty()) {
            if (r.entry().type().isStop()) {
                errors.add(new FieldError("entry.type", "a bracket entry is MARKET or LIMIT"));
            }
            BigDecimal tick = entry.rules().tickSize();
            if (r.stopLoss() != null && r.stopLoss().remainder(tick).signum() != 0) {
                errors.add(new FieldError("stop_loss", "must be a multiple of the tick size " + tick.toPlainString()));
            }
            if (r.takeProfit() != null && r.takeProfit().remainder(tick).signum() != 0) {
                errors.add(new FieldError("take_profit", "must be a multiple of the tick size " + tick.toPlainString()));
            }
            BigDecimal reference = entry.price() != null ? entry.price() : referencePrice.orElse(null);
            boolean longEntry = entry.side() == Side.BUY;
            if (reference != null) {
                if (r.stopLoss() != null && (longEntry ? r.stopLoss().compareTo(reference) >= 0 : r.stopLoss().compareTo(reference) <= 0)) {
                    errors.add(new FieldError("stop_loss", "must be " + (longEntry ? "below" : "above") + " the entry price " + reference.toPlainString()));
                }
                if (r.takeProfit() != null
                        && (longEntry ? r.takeProfit().compareTo(reference) <= 0 : r.takeProfit().compareTo(reference) >= 0)) {
                    errors.add(new FieldError("take_profit", "must be " + (longEntry ? "above" : "below") + " the entry price " + reference.toPlainString()));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw Problems.invalid(errors);
        }
        return entry;
    }

    /** A replace gives at least one change, each positive and in range. */
    public void validate(ReplaceRequest r) {
        if (r == null || r.quantity() == null && r.price() == null && r.stopPrice() == null) {
            throw Problems.invalid("body", "give quantity, price or stop_price to change");
        }
        List<FieldError> errors = new ArrayList<>();
        positive(errors, "quantity", r.quantity());
        positive(errors, "price", r.price());
        positive(errors, "stop_price", r.stopPrice());
        if (!errors.isEmpty()) {
            throw Problems.invalid(errors);
        }
    }

    private ValidOrder check(OrderRequest r, String prefix, List<FieldError> errors) {
        int before = errors.size();
        if (r.clientOrderId() != null && !ID.matcher(r.clientOrderId()).matches()) {
            errors.add(new FieldError(prefix + "client_order_id", "must be 1 to 64 letters, digits or . _ : -"));
        }
        Instrument rules = null;
        InstrumentId instrument = null;
        if (r.symbol() == null) {
            errors.add(new FieldError(prefix + "symbol", "is required, e.g. BTCUSDT.PAPER"));
        } else {
            Optional<InstrumentId> parsed = InstrumentId.parse(r.symbol());
            if (parsed.isEmpty()) {
                errors.add(new FieldError(prefix + "symbol", "must look like BTCUSDT.PAPER (symbol, dot, venue)"));
            } else if (venues.venue(parsed.get().venue()).isEmpty()) {
                errors.add(new FieldError(prefix + "symbol", "unknown venue " + parsed.get().venue() + "; this engine runs "
                        + String.join(", ", venues.all().stream().map(v -> v.name()).toList())));
            } else {
                instrument = parsed.get();
                rules = venues.instrument(instrument).orElse(null);
                if (rules == null) {
                    errors.add(new FieldError(prefix + "symbol", "unknown symbol " + instrument + "; see GET /instruments"));
                }
            }
        }
        if (r.side() == null) {
            errors.add(new FieldError(prefix + "side", "is required: BUY or SELL"));
        }
        OrderType type = r.type();
        if (type == null) {
            errors.add(new FieldError(prefix + "type", "is required: MARKET, LIMIT, STOP_MARKET, STOP_LIMIT or TRAILING_STOP"));
        }
        if (r.quantity() == null && r.quoteQuantity() == null) {
            errors.add(new FieldError(prefix + "quantity", "give quantity or quote_quantity"));
        } else if (r.quantity() != null && r.quoteQuantity() != null) {
            errors.add(new FieldError(prefix + "quantity", "give quantity or quote_quantity, not both"));
        }
        positive(errors, prefix + "quantity", r.quantity());
        positive(errors, prefix + "quote_quantity", r.quoteQuantity());
        positive(errors, prefix + "price", r.price());
        positive(errors, prefix + "stop_price", r.stopPrice());
        positive(errors, prefix + "trailing_offset", r.trailingOffset());
        positive(errors, prefix + "trailing_offset_bps", r.trailingOffsetBps());
        if (r.limitOffset() != null && (!Decimals.fits(r.limitOffset()) || r.limitOffset().signum() < 0)) {
            errors.add(new FieldError(prefix + "limit_offset", "must be zero or more, and in range"));
        }
        if (r.model() != null && !MODEL.matcher(r.model()).matches()) {
            errors.add(new FieldError(prefix + "model", "must be 1 to 64 letters, digits or . _ -"));
        }
        TimeInForce tif = r.timeInForce();
        boolean postOnly = Boolean.TRUE.equals(r.postOnly());
        if (type != null) {
            Set<String> allowed = switch (type) {
                case MARKET -> Set.of();
                case LIMIT -> Set.of("price");
                case STOP_MARKET -> Set.of("stop_price");
                case STOP_LIMIT -> Set.of("price", "stop_price");
                case TRAILING_STOP -> Set.of("trailing_offset", "trailing_offset_bps", "limit_offset");
            };
            requireOrRefuse(errors, prefix, type, allowed, "price", r.price(), type == OrderType.LIMIT || type == OrderType.STOP_LIMIT);
            requireOrRefuse(errors, prefix, type, allowed, "stop_price", r.stopPrice(), type == OrderType.STOP_MARKET || type == OrderType.STOP_LIMIT);
            requireOrRefuse(errors, prefix, type, allowed, "trailing_offset", r.trailingOffset(), false);
            requireOrRefuse(errors, prefix, type, allowed, "trailing_offset_bps", r.trailingOffsetBps(), false);
            requireOrRefuse(errors, prefix, type, allowed, "limit_offset", r.limitOffset(), false);
            if (type == OrderType.TRAILING_STOP && (r.trailingOffset() == null) == (r.trailingOffsetBps() == null)) {
                errors.add(new FieldError(prefix + "trailing_offset", "a TRAILING_STOP takes trailing_offset or trailing_offset_bps, one of them"));
            }
            if (r.trailingOffsetBps() != null && r.trailingOffsetBps().compareTo(MAX_TRAILING_BPS) > 0) {
                errors.add(new FieldError(prefix + "trailing_offset_bps", "must be at most " + MAX_TRAILING_BPS));
            }
            if (type.isStop() && r.quoteQuantity() != null) {
                errors.add(new FieldError(prefix + "quote_quantity", "stops take a quantity"));
            }
            Set<TimeInForce> tifs = switch (type) {
                case MARKET -> EnumSet.of(TimeInForce.IOC, TimeInForce.FOK);
                case LIMIT, STOP_LIMIT -> EnumSet.allOf(TimeInForce.class);
                case STOP_MARKET, TRAILING_STOP -> EnumSet.of(TimeInForce.GTC, TimeInForce.GTD);
            };
            if (tif != null && !tifs.contains(tif)) {
                errors.add(new FieldError(prefix + "time_in_force", "a " + type + " order takes " + tifs));
            }
            if (postOnly && type != OrderType.LIMIT) {
                errors.add(new FieldError(prefix + "post_only", "only a LIMIT order can be post-only"));
            }
            if (postOnly && (tif == TimeInForce.IOC || tif == TimeInForce.FOK)) {
                errors.add(new FieldError(prefix + "post_only", "a post-only order rests: GTC or GTD"));
            }
        }
        if ((tif == TimeInForce.GTD) != (r.expireAt() != null)) {
            errors.add(new FieldError(prefix + "expire_at", tif == TimeInForce.GTD ? "is required for GTD" : "is only for GTD orders"));
        } else if (r.expireAt() != null && !r.expireAt().isAfter(clock.instant())) {
            errors.add(new FieldError(prefix + "expire_at", "must be in the future"));
        }
        if (errors.size() > before) {
            return null;
        }
        TimeInForce effective = tif != null ? tif : type == OrderType.MARKET ? TimeInForce.IOC : TimeInForce.GTC;
        String clientOrderId = r.clientOrderId() != null ? r.clientOrderId() : UUID.randomUUID().toString();
        return new ValidOrder(clientOrderId, instrument, rules, r.side(), type, effective, r.quantity(), r.quoteQuantity(), r.price(),
                r.stopPrice(), r.trailingOffset(), r.trailingOffsetBps(), r.limitOffset(), postOnly, r.expireAt(),
                r.model() != null ? r.model() : DEFAULT_MODEL);
    }

    private static void requireOrRefuse(List<FieldError> errors, String prefix, OrderType type, Set<String> allowed, String field,
                                        BigDecimal value, boolean required) {
        if (value == null && required) {
            errors.add(new FieldError(prefix + field, "is required for a " + type + " order"));
        } else if (value != null && !allowed.contains(field)) {
            errors.add(new FieldError(prefix + field, "must not be given for a " + type + " order"));
        }
    }

    private static void positive(List<FieldError> errors, String field, BigDecimal value) {
        String problem = value == null ? null : Decimals.positiveProblem(value);
        if (problem != null) {
            errors.add(new FieldError(field, problem));
        }
    }
}

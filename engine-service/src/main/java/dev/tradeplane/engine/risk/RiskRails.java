package dev.tradeplane.engine.risk;

import dev.tradeplane.engine.account.Valuation;
import dev.tradeplane.engine.instrument.Steps;
import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.LimitSet;
import dev.tradeplane.model.OrderType;
import dev.tradeplane.model.RejectReason;
import dev.tradeplane.model.Side;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;
import java.util.function.Function;

/**
 * The pre-trade checks, every order and every replace, in this order: kill switch, circuit breakers, symbol
 * allow/deny lists, the venue's rules (lot, tick, min notional), max order quantity and notional, price band against
 * the mid, max position (quantity and notional, counting working orders), daily loss, order rate, and last gross and
 * net exposure and open orders per venue and per model (which reserve the order's quantity when they pass). The first
 * refusal is answered as a {@link RiskDecision.Rejected} with its reason, limit and value. The engine's own resizes of
 * contingent orders are checked against the venue's rules only ({@link #checkEngineResize}). The lane that calls it
 * guarantees no other order of the instrument is checked at the same time; the cross-instrument checks are atomic
 * in {@link ExposureLedger} and {@link RateLimiter}.
 */
@Singleton
public class RiskRails {

    private static final BigDecimal TEN_THOUSAND = BigDecimal.valueOf(10_000);

    private final RiskLimitsStore limits;
    private final TradingGuard guard;
    private final ExposureLedger ledger;
    private final RateLimiter rates;
    private final RiskMonitor monitor;
    private final Valuation valuation;

    public RiskRails(RiskLimitsStore limits, TradingGuard guard, ExposureLedger ledger, RateLimiter rates, RiskMonitor monitor,
                     Valuation valuation) {
        this.limits = limits;
        this.guard = guard;
        this.ledger = ledger;
        this.rates = rates;
        this.monitor = monitor;
        this.valuation = valuation;
    }

    public RiskDecision check(RiskRequest r) {
        EffectiveLimits l = limits.current();
        InstrumentId id = r.instrument();
        if (guard.killSwitch().active() && !r.internal() && !(r.reducing() && guard.allowsReducing())) {
            return reject(RejectReason.KILL_SWITCH, "the kill switch is active (" + guard.killSwitch().reason() + "); "
                    + (guard.allowsReducing() ? "only orders that reduce a position are accepted" : "no orders are accepted"), null, null);
        }
        if (!r.internal()) {
            RiskDecision.Rejected breaker = guard.refusal(id.venue());
            if (breaker != null) {
                return breaker;
            }
        }
        if (!l.allows(id, r.model())) {
            return reject(RejectReason.SYMBOL_NOT_ALLOWED, id + " is not allowed by the risk limits (allowed_symbols / denied_symbols)", null, null);
        }
        RiskDecision.Rejected venueRule = venueRules(r);
        if (venueRule != null) {
            return venueRule;
        }
        BigDecimal notional = r.quantity().multiply(r.price());
        BigDecimal maxQuantity = l.forOrder(id, r.model(), LimitSet::maxOrderQuantity);
        if (EffectiveLimits.exceeds(r.quantity(), maxQuantity)) {
            return reject(RejectReason.MAX_ORDER_QUANTITY, "quantity " + r.quantity().toPlainString() + " is above max_order_quantity",
                    maxQuantity, r.quantity());
        }
        BigDecimal maxNotional = l.forOrder(id, r.model(), LimitSet::maxOrderNotional);
        if (EffectiveLimits.exceeds(notional, maxNotional)) {
            return reject(RejectReason.MAX_ORDER_NOTIONAL, "notional " + notional.toPlainString() + " is above max_order_notional",
                    maxNotional, notional);
        }
        BigDecimal band = l.forOrder(id, r.model(), LimitSet::priceBandBps);
        if (band != null && r.limitPrice() != null && r.mid() != null) {
            BigDecimal through = (r.side() == Side.BUY ? r.limitPrice().subtract(r.mid()) : r.mid().subtract(r.limitPrice()))
                    .multiply(TEN_THOUSAND).divide(r.mid(), 4, RoundingMode.HALF_EVEN);
            if (through.compareTo(band) > 0) {
                return reject(RejectReason.PRICE_BAND, "the limit price is " + through.stripTrailingZeros().toPlainString()
                        + " bps through the mid " + r.mid().toPlainString() + ", beyond price_band_bps", band, through.stripTrailingZeros());
            }
        }
        Exposure e = r.symbolExposure();
        BigDecimal worst = r.side() == Side.BUY
                ? e.netPosition().add(e.openBuyQuantity()).add(r.working())
                : e.netPosition().subtract(e.openSellQuantity()).subtract(r.working());
        BigDecimal maxPositionQuantity = l.forOrder(id, r.model(), LimitSet::maxPositionQuantity);
        if (!r.reducing() && EffectiveLimits.exceeds(worst.abs(), maxPositionQuantity)) {
            return reject(RejectReason.MAX_POSITION, "the position of " + id + " could reach " + worst.toPlainString()
                    + ", above max_position_quantity", maxPositionQuantity, worst.abs());
        }
        BigDecimal maxPositionNotional = l.forOrder(id, r.model(), LimitSet::maxPositionNotional);
        BigDecimal positionNotional = worst.abs().multiply(r.price());
        if (!r.reducing() && EffectiveLimits.exceeds(positionNotional, maxPositionNotional)) {
            return reject(RejectReason.MAX_POSITION, "the position of " + id + " could reach " + worst.toPlainString() + ", worth "
                    + positionNotional.toPlainString() + ", above max_position_notional", maxPositionNotional, positionNotional);
        }
        if (!r.reducing()) {
            RiskDecision.Rejected loss = dailyLoss(ExposureLedger.modelScope(r.model()), l.forModel(r.model(), LimitSet::maxDailyLoss));
            if (loss == null) {
                loss = dailyLoss(ExposureLedger.venueScope(id.venue()), l.forVenue(id.venue(), LimitSet::maxDailyLoss));
            }
            if (loss != null) {
                return loss;
            }
        }
        if (!r.internal()) {
            if (!rates.tryAcquire(ExposureLedger.modelScope(r.model()), l.forModel(r.model(), LimitSet::ordersPerSecond),
                    l.forModel(r.model(), LimitSet::orderBurst))) {
                return reject(RejectReason.ORDER_RATE, "model " + r.model() + " is sending orders faster than orders_per_second",
                        l.forModel(r.model(), LimitSet::ordersPerSecond), null);
            }
            if (!rates.tryAcquire(ExposureLedger.venueScope(id.venue()), l.forVenue(id.venue(), LimitSet::ordersPerSecond),
                    l.forVenue(id.venue(), LimitSet::orderBurst))) {
                return reject(RejectReason.ORDER_RATE, "venue " + id.venue() + " is receiving orders faster than orders_per_second",
                        l.forVenue(id.venue(), LimitSet::ordersPerSecond), null);
            }
        }
        Function<InstrumentId, BigDecimal> marks = i -> i.equals(id) && r.mid() != null ? r.mid() : valuation.mark(i).orElse(null);
        RiskDecision.Rejected exposure = ledger.reserve(id, r.model(), r.side(), r.openDelta(), r.newOrders(), l, marks);
        if (exposure != null) {
            return exposure;
        }
        if (!r.internal()) {
            guard.claimProbe(id.venue());
        }
        return RiskDecision.ACCEPTED;
    }

    /**
     * The check of the engine's own resize of a contingent order (an OCO leg shrunk by its partner's fill, a bracket
     * child grown with its entry's): the venue's rules only, which the venue would refuse anyway. The resize follows a
     * trade that has already happened, so nothing meant for requests (kill switch, breakers, order rate, order and
     * position limits, exposure) may refuse it: a protective order would be left the wrong size, or canceled, while
     * the position it protects is open. What it adds to its side is booked in the ledger all the same.
     */
    public RiskDecision checkEngineResize(RiskRequest r) {
        RiskDecision.Rejected venueRule = venueRules(r);
        if (venueRule != null) {
            return venueRule;
        }
        ledger.apply(r.instrument(), r.model(), BigDecimal.ZERO, r.side(), r.openDelta(), r.newOrders());
        return RiskDecision.ACCEPTED;
    }

    /** Lot, tick and min notional: a quantity and price the venue can have at all. */
    private static RiskDecision.Rejected venueRules(RiskRequest r) {
        if (r.quantity().signum() <= 0 || !Steps.isMultiple(r.quantity(), r.rules().lotSize())) {
            return reject(RejectReason.LOT_SIZE, "quantity must be a positive multiple of the lot size " + r.rules().lotSize().toPlainString(),
                    r.rules().lotSize(), r.quantity());
        }
        if (r.limitPrice() != null && !Steps.isMultiple(r.limitPrice(), r.rules().tickSize())) {
            return reject(RejectReason.TICK_SIZE, "price must be a multiple of the tick size " + r.rules().tickSize().toPlainString(),
                    r.rules().tickSize(), r.limitPrice());
        }
        BigDecimal notional = r.quantity().multiply(r.price());
        if (notional.compareTo(r.rules().minNotional()) < 0) {
            return reject(RejectReason.MIN_NOTIONAL, "notional " + notional.toPlainString() + " is below the venue minimum",
                    r.rules().minNotional(), notional);
        }
        return null;
    }

    private RiskDecision.Rejected dailyLoss(String scope, BigDecimal max) {
        if (max == null) {
            return null;
        }
        Optional<BigDecimal> pnl = monitor.dailyPnl(scope);
        if (pnl.isPresent() && pnl.get().negate().compareTo(max) >= 0) {
            return reject(RejectReason.DAILY_LOSS, scope + " has lost " + pnl.get().negate().toPlainString() + " today, at max_daily_loss",
                    max, pnl.get().negate());
        }
        return null;
    }

    private static RiskDecision.Rejected reject(RejectReason reason, String detail, BigDecimal limit, BigDecimal value) {
        return new RiskDecision.Rejected(reason, detail, limit, value);
    }
}

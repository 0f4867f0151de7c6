package dev.tradeplane.engine.risk;

import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.RejectReason;
import dev.tradeplane.model.Side;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What each venue and each model holds across instruments: per instrument the net position and the open quantity
 * on each side, and the number of working orders. Limits that span instruments (gross and net exposure, open
 * orders) are checked here, and a passing order reserves its quantity in the same atomic step, so two lanes checking
 * at once can never both slip under a limit that only one of them fits. Each scope is updated by an atomic
 * replace of an immutable value.
 */
@Singleton
public class ExposureLedger {

    /** An instrument's quantities within one scope. */
    public record Qty(BigDecimal position, BigDecimal openBuy, BigDecimal openSell) {
        static final Qty ZERO = new Qty(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

        Qty plus(BigDecimal positionDelta, Side side, BigDecimal openDelta) {
            return new Qty(position.add(positionDelta), side == Side.BUY ? openBuy.add(openDelta) : openBuy,
                    side == Side.SELL ? openSell.add(openDelta) : openSell);
        }
    }

    /** One scope's holdings. */
    public record Scope(Map<InstrumentId, Qty> instruments, int openOrders) {
        static final Scope EMPTY = new Scope(Map.of(), 0);

        Scope plus(InstrumentId id, BigDecimal positionDelta, Side side, BigDecimal openDelta, int openOrdersDelta) {
            Map<InstrumentId, Qty> copy = new HashMap<>(instruments);
            copy.put(id, copy.getOrDefault(id, Qty.ZERO).plus(positionDelta, side, openDelta));
            return new Scope(Map.copyOf(copy), openOrders + openOrdersDelta);
        }

        /** Sum over instruments of the larger absolute worst case, valued at the marks. */
        public BigDecimal gross(Function<InstrumentId, BigDecimal> marks) {
            BigDecimal total = BigDecimal.ZERO;
            for (Map.Entry<InstrumentId, Qty> e : instruments.entrySet()) {
                BigDecimal mark = marks.apply(e.getKey());
                if (mark == null) {
                    continue;
                }
                Qty q = e.getValue();
                BigDecimal worst = q.position().add(q.openBuy()).abs().max(q.position().subtract(q.openSell()).abs());
                total = total.add(worst.multiply(mark));
            }
            return total;
        }

        /** The larger absolute value of the signed sum with every buy filled, or with every sell filled. */
        public BigDecimal net(Function<InstrumentId, BigDecimal> marks) {
            BigDecimal allBuys = BigDecimal.ZERO;
            BigDecimal allSells = BigDecimal.ZERO;
            for (Map.Entry<InstrumentId, Qty> e : instruments.entrySet()) {
                BigDecimal mark = marks.apply(e.getKey());
                if (mark == null) {
                    continue;
                }
                Qty q = e.getValue();
                allBuys = allBuys.add(q.position().add(q.openBuy()).multiply(mark));
                allSells = allSells.add(q.position().subtract(q.openSell()).multiply(mark));
            }
            return allBuys.abs().max(allSells.abs());
        }
    }

    private final Map<String, Scope> scopes = new ConcurrentHashMap<>();

    public static String venueScope(String venue) {
        return "venue:" + venue;
    }

    public static String modelScope(String model) {
        return "model:" + model;
    }

    public Scope scope(String key) {
        return scopes.getOrDefault(key, Scope.EMPTY);
    }

    public Map<String, Scope> all() {
        return Map.copyOf(scopes);
    }

    /** Adds to both scopes of an order, without checks (fills, releases, restores). */
    public void apply(InstrumentId id, String model, BigDecimal positionDelta, Side side, BigDecimal openDelta, int openOrdersDelta) {
        if (positionDelta.signum() == 0 && openDelta.signum() == 0 && openOrdersDelta == 0) {
            return;
        }
        for (String key : new String[] {venueScope(id.venue()), modelScope(model)}) {
            scopes.compute(key, (k, s) -> (s == null ? Scope.EMPTY : s).plus(id, positionDelta, side, openDelta, openOrdersDelta));
        }
    }

    /**
     * Checks the venue's and the model's gross and net exposure and open orders with the order's added open quantity,
     * and reserves it if both pass. Returns the first refusal, or null when reserved.
     */
    public RiskDecision.Rejected reserve(InstrumentId id, String model, Side side, BigDecimal openDelta, int openOrdersDelta,
                                         EffectiveLimits limits, Function<InstrumentId, BigDecimal> marks) {
        String venueKey = venueScope(id.venue());
        RiskDecision.Rejected[] refused = new RiskDecision.Rejected[1];
        scopes.compute(venueKey, (k, s) -> {
            Scope before = s == null ? Scope.EMPTY : s;
            Scope after = before.plus(id, BigDecimal.ZERO, side, openDelta, openOrdersDelta);
            refused[0] = judge(after, openOrdersDelta, "venue " + id.venue(), limits.forVenue(id.venue(), l -> l.maxGrossExposure()),
                    limits.forVenue(id.venue(), l -> l.maxNetExposure()), limits.forVenue(id.venue(), l -> l.maxOpenOrders()), marks);
            return refused[0] == null ? after : before;
        });
        if (refused[0] != null) {
            return refused[0];
        }
        scopes.compute(modelScope(model), (k, s) -> {
            Scope before = s == null ? Scope.EMPTY : s;
            Scope after = before.plus(id, BigDecimal.ZERO, side, openDelta, openOrdersDelta);
            refused[0] = judge(after, openOrdersDelta, "model " + model, limits.forModel(model, l -> l.maxGrossExposure()),
                    limits.forModel(model, l -> l.maxNetExposure()), limits.forModel(model, l -> l.maxOpenOrders()), marks);
            return refused[0] == null ? after : before;
        });
        if (refused[0] != null) {
            scopes.compute(venueKey, (k, s) -> s.plus(id, BigDecimal.ZERO, side, openDelta.negate(), -openOrdersDelta));
        }
        return refused[0];
    }

    private static RiskDecision.Rejected judge(Scope after, int openOrdersDelta, String who, BigDecimal maxGross, BigDecimal maxNet,
                                               Integer maxOpen, Function<InstrumentId, BigDecimal> marks) {
        if (openOrdersDelta > 0 && maxOpen != null && after.openOrders() > maxOpen) {
            return new RiskDecision.Rejected(RejectReason.MAX_OPEN_ORDERS, who + " would have " + after.openOrders()
                    + " working orders, above max_open_orders", BigDecimal.valueOf(maxOpen), BigDecimal.valueOf(after.openOrders()));
        }
        if (maxGross != null) {
            BigDecimal gross = after.gross(marks);
            if (gross.compareTo(maxGross) > 0) {
                return new RiskDecision.Rejected(RejectReason.MAX_GROSS_EXPOSURE, "the gross exposure of " + who + " would be "
                        + gross.toPlainString() + ", above max_gross_exposure", maxGross, gross);
            }
        }
        if (maxNet != null) {
            BigDecimal net = after.net(marks);
            if (net.compareTo(maxNet) > 0) {
                return new RiskDecision.Rejected(RejectReason.MAX_NET_EXPOSURE, "the net exposure of " + who + " would be "
                        + net.toPlainString() + ", above max_net_exposure", maxNet, net);
            }
        }
        return null;
    }
}

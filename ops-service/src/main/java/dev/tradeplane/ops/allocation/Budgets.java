package dev.tradeplane.ops.allocation;

import dev.tradeplane.common.problem.Problems;
import dev.tradeplane.model.Instrument;
import dev.tradeplane.model.ProblemTypes;
import dev.tradeplane.model.RejectReason;
import dev.tradeplane.model.Side;
import dev.tradeplane.model.SignalResult;
import dev.tradeplane.ops.engine.EngineClient;
import dev.tradeplane.ops.signal.ValidSignal;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Holds each signal to its model's capital budget (share × equity, from the allocation in force). A signal that only
 * reduces the model's position always passes. Otherwise its notional (quote, or quantity × limit price or the mid)
 * must fit in what the budget has left after the model's current gross exposure; if not, the capital policy scales it
 * down to what fits (rounded down to the lot) or refuses it with {@code BUDGET_EXCEEDED}, and says which.
 */
@Singleton
public class Budgets {

    private static final Logger LOG = Logger.getLogger(Budgets.class);

    /** The signal as it may be placed, and the cut made to it (null when none). */
    public record Sizing(ValidSignal signal, SignalResult.BudgetCut cut) {}

    private final AllocationService allocations;
    private final AllocationRepository repository;
    private final EngineClient engines;

    public Budgets(AllocationService allocations, AllocationRepository repository, EngineClient engines) {
        this.allocations = allocations;
        this.repository = repository;
        this.engines = engines;
    }

    public Uni<Sizing> size(String model, ValidSignal signal, Instrument rules) {
        if (!allocations.enabled()) {
            return Uni.createFrom().item(new Sizing(signal, null));
        }
        Optional<AllocationService.ModelBudget> budget = allocations.budgetOf(model);
        if (budget.isEmpty()) {
            return Uni.createFrom().item(new Sizing(signal, null));
        }
        String venue = signal.instrument().venue();
        return repository.position(model, venue, signal.instrument().symbol()).flatMap(position -> {
            boolean opposite = signal.side() == Side.BUY ? position.signum() < 0 : position.signum() > 0;
            if (opposite && signal.quantity() != null && signal.quantity().compareTo(position.abs()) <= 0) {
                return Uni.createFrom().item(new Sizing(signal, null));
            }
            return price(signal).flatMap(price -> repository.exposure(model).map(used -> decide(model, signal, rules, budget.get(), used, price)));
        });
    }

    /** The limit price, or the instrument's mid (asked of its engine at most once a second). */
    private Uni<Optional<BigDecimal>> price(ValidSignal signal) {
        if (signal.price() != null || signal.quote() != null) {
            return Uni.createFrom().item(Optional.ofNullable(signal.price()));
        }
        String instrument = signal.instrument().toString();
        Mid known = mids.get(instrument);
        long now = System.nanoTime();
        if (known != null && now - known.atNanos() < MID_TTL_NANOS) {
            return Uni.createFrom().item(Optional.of(known.mid()));
        }
        return engines.market(signal.instrument().venue(), instrument)
                .map(m -> Optional.ofNullable(m.mid()))
                .invoke(mid -> mid.ifPresent(v -> mids.put(instrument, new Mid(v, now))))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("No mid for %s from its engine (%s): the signal is not checked against its model's budget here; the engine's "
                            + "risk rails still hold it", instrument, e.getMessage());
                    return Optional.empty();
                });
    }

    private record Mid(BigDecimal mid, long atNanos) {}

    private static final long MID_TTL_NANOS = 1_000_000_000L;
    private final java.util.Map<String, Mid> mids = new java.util.concurrent.ConcurrentHashMap<>();

    private static Sizing decide(String model, ValidSignal signal, Instrument rules, AllocationService.ModelBudget budget, BigDecimal used,
                                 Optional<BigDecimal> price) {
        BigDecimal remaining = budget.budget().subtract(used).max(BigDecimal.ZERO).setScale(2, RoundingMode.DOWN);
        BigDecimal notional;
        if (signal.quote() != null) {
            notional = signal.quote();
        } else if (price.isPresent()) {
            notional = signal.quantity().multiply(price.get());
        } else {
            return new Sizing(signal, null); // no price to value it at: the engine's risk rails still hold it
        }
        if (notional.compareTo(remaining) <= 0) {
            return new Sizing(signal, null);
        }
        String detail = "model " + model + " has " + remaining.toPlainString() + " of its budget " + budget.budget().toPlainString()
                + " left (gross exposure " + used.setScale(2, RoundingMode.HALF_EVEN).toPlainString() + "); the signal is worth "
                + notional.setScale(2, RoundingMode.HALF_EVEN).toPlainString();
        if (budget.onOverBudget() == OverBudget.REJECT) {
            throw refused(detail, remaining, notional);
        }
        if (signal.quote() != null) {
            if (rules.minNotional() != null && remaining.compareTo(rules.minNotional()) < 0 || remaining.signum() == 0) {
                throw refused(detail + ", and what is left is below the minimum notional", remaining, notional);
            }
            return new Sizing(signal.withSize(null, remaining),
                    new SignalResult.BudgetCut(null, signal.quote(), remaining, detail + ": quote cut to " + remaining.toPlainString()));
        }
        BigDecimal lot = rules.lotSize();
        BigDecimal quantity = remaining.divide(price.get(), 18, RoundingMode.DOWN);
        quantity = quantity.divide(lot, 0, RoundingMode.DOWN).multiply(lot).stripTrailingZeros();
        if (quantity.signum() <= 0 || rules.minNotional() != null && quantity.multiply(price.get()).compareTo(rules.minNotional()) < 0) {
            throw refused(detail + ", less than one lot at the minimum notional", remaining, notional);
        }
        return new Sizing(signal.withSize(quantity, null),
                new SignalResult.BudgetCut(signal.quantity(), null, remaining, detail + ": quantity cut to " + quantity.toPlainString()));
    }

    private static RuntimeException refused(String detail, BigDecimal remaining, BigDecimal notional) {
        return Problems.rejected(ProblemTypes.SIGNAL_REJECTED, "Signal rejected", RejectReason.BUDGET_EXCEEDED, detail, remaining, notional);
    }
}

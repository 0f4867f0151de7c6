package dev.tradeplane.ops.signal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tradeplane.common.idempotency.RequestHash;
import dev.tradeplane.common.outbox.Outbox;
import dev.tradeplane.common.problem.ProblemException;
import dev.tradeplane.common.problem.Problems;
import dev.tradeplane.model.BracketRequest;
import dev.tradeplane.model.ContingentOrders;
import dev.tradeplane.model.EventTypes;
import dev.tradeplane.model.Execution;
import dev.tradeplane.model.Order;
import dev.tradeplane.model.OrderRequest;
import dev.tradeplane.model.Problem;
import dev.tradeplane.model.ProblemTypes;
import dev.tradeplane.model.RejectReason;
import dev.tradeplane.model.Signal;
import dev.tradeplane.model.SignalResult;
import dev.tradeplane.ops.allocation.Budgets;
import dev.tradeplane.ops.engine.EngineAnswer;
import dev.tradeplane.ops.engine.EngineClient;
import dev.tradeplane.ops.engine.EngineUnavailableException;
import dev.tradeplane.ops.engine.InstrumentCatalog;
import dev.tradeplane.ops.metrics.SignalMetrics;
import dev.tradeplane.ops.routing.StrategyRouter;
import dev.tradeplane.ops.trading.TradingPauses;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The life of a signal in OPS:
 * <ol>
 *   <li>validate it on its face and check its symbol with the owning engine (a refusal writes nothing);</li>
 *   <li>route it to a model;</li>
 *   <li>commit it under its {@code signal_id}, leased to this request, with a {@code signal.routed} event;</li>
 *   <li>send the order to the engine under an idempotency key derived from the signal, so no retry (ours, the
 *       caller's, or another OPS replica's) can make a second order;</li>
 *   <li>commit the answer with the signal, then send it. The same signal again gets that same answer.</li>
 * </ol>
 * Copies of a signal that arrive while the first is being placed wait for it and get its answer. When the engine
 * cannot be reached the signal keeps its row, gives up its lease and answers 503: a later retry places it.
 */
@Singleton
public class SignalService {

    private static final Logger LOG = Logger.getLogger(SignalService.class);
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration WAIT_FOR_TWIN = Duration.ofSeconds(15);
    private static final Duration POLL = Duration.ofMillis(25);

    private final SignalValidator validator;
    private final SignalRepository signals;
    private final InstrumentCatalog catalog;
    private final StrategyRouter router;
    private final EngineClient engines;
    private final Outbox outbox;
    private final Pool pool;
    private final SignalMetrics metrics;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Budgets budgets;
    private final TradingPauses pauses;
    private final Map<String, Uni<SignalAnswer>> inFlight = new ConcurrentHashMap<>();

    public SignalService(SignalValidator validator, SignalRepository signals, InstrumentCatalog catalog, StrategyRouter router,
                         EngineClient engines, Outbox outbox, Pool pool, SignalMetrics metrics, ObjectMapper mapper, Clock clock,
                         Budgets budgets, TradingPauses pauses) {
        this.budgets = budgets;
        this.pauses = pauses;
        this.validator = validator;
        this.signals = signals;
        this.catalog = catalog;
        this.router = router;
        this.engines = engines;
        this.outbox = outbox;
        this.pool = pool;
        this.metrics = metrics;
        this.mapper = mapper;
        this.clock = clock;
    }

    public Uni<SignalAnswer> accept(Signal raw) {
        metrics.received();
        ValidSignal signal;
        try {
            signal = validator.validate(raw);
        } catch (ProblemException e) {
            metrics.rejected(RejectReason.INVALID_REQUEST);
            throw e;
        }
        if (!engines.knows(signal.instrument().venue())) {
            metrics.rejected(RejectReason.UNKNOWN_VENUE);
            throw Problems.invalid("symbol", "unknown venue " + signal.instrument().venue() + "; configured: "
                    + String.join(", ", engines.venues()));
        }
        String hash = RequestHash.of(raw);
        String flight = signal.signalId() + "|" + hash;
        return inFlight.computeIfAbsent(flight, k -> process(signal, hash, clock.instant().plus(WAIT_FOR_TWIN))
                .onTermination().invoke(() -> inFlight.remove(k))
                .memoize().indefinitely());
    }

    private Uni<SignalAnswer> process(ValidSignal signal, String hash, Instant waitUntil) {
        return signals.find(signal.signalId()).flatMap(existing -> existing.isPresent()
                ? resume(existing.get(), signal, hash, waitUntil)
                : fresh(signal, hash, waitUntil));
    }

    private Uni<SignalAnswer> fresh(ValidSignal signal, String hash, Instant waitUntil) {
        return pauses.covering(signal.instrument().venue())
                .invoke(pause -> pause.ifPresent(p -> {
                    throw Problems.rejected(ProblemTypes.SIGNAL_REJECTED, "Signal rejected", RejectReason.TRADING_PAUSED,
                            (p.venue() == null ? "all trading is paused" : "trading on " + p.venue() + " is paused") + " since " + p.since()
                                    + " by " + p.actor() + ": " + p.reason() + "; POST /trading/resume lifts it", null, null);
                }))
                .flatMap(x -> catalog.find(signal.instrument()))
                .onFailure(EngineUnavailableException.class).transform(e -> {
                    metrics.rejected(RejectReason.ENGINE_UNAVAILABLE);
                    return unavailable((EngineUnavailableException) e);
                })
                .flatMap(instrument -> {
                    if (instrument.isEmpty()) {
                        metrics.rejected(RejectReason.UNKNOWN_SYMBOL);
                        throw Problems.invalid("symbol", "unknown symbol " + signal.instrument() + " at venue " + signal.instrument().venue());
                    }
                    return router.route(signal.model(), signal.instrument())
                            .flatMap(model -> budgets.size(model.name(), signal, instrument.get()).map(sizing -> new Routed(model, sizing)));
                })
                .onFailure(ProblemException.class).invoke(e -> {
                    RejectReason reason = ((ProblemException) e).problem().reason();
                    if (reason != null) {
                        metrics.rejected(reason);
                    }
                })
                .flatMap(routed -> {
                    ValidSignal worked = withModelDefault(routed.sizing().signal(), routed.model());
                    return claim(worked, hash, routed.model().name(), routed.sizing().cut() != null)
                            .flatMap(claimed -> claimed
                                    ? dispatch(worked, routed.model().name(), routed.sizing().cut())
                                    : process(signal, hash, waitUntil));
                });
    }

    /** The model a signal went to, and the size its budget allows. */
    private record Routed(dev.tradeplane.ops.routing.Model model, Budgets.Sizing sizing) {}

    /** The signal at the size it was placed with, as its record says (a budget may have cut it). */
    /** A MARKET signal that names no execution gets its model's default one (stored with the signal when claimed). */
    private static ValidSignal withModelDefault(ValidSignal signal, dev.tradeplane.ops.routing.Model model) {
        return signal.raw().execution() == null && model.execution() != null && signal.executable() ? signal.withExecution(model.execution()) : signal;
    }

    /** The signal as it was placed: the size its budget allowed and the execution it was stored with. */
    private ValidSignal placed(ValidSignal signal, SignalRecord record) {
        ValidSignal sized = record.placedQuantity() == null && record.placedQuote() == null ? signal
                : signal.withSize(record.placedQuantity(), record.placedQuote());
        if (sized.raw().execution() != null || record.requestJson() == null) {
            return sized;
        }
        try {
            Execution stored = mapper.readValue(record.requestJson(), dev.tradeplane.model.Signal.class).execution();
            return stored == null ? sized : sized.withExecution(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable stored signal " + record.signalId(), e);
        }
    }

    private static SignalResult.BudgetCut cutOf(ValidSignal requested, SignalRecord record) {
        return record.placedQuantity() == null && record.placedQuote() == null ? null
                : new SignalResult.BudgetCut(requested.quantity(), requested.quote(), null, "cut to the model's remaining capital budget");
    }

    /** Commits the routed signal, leased to this request; false when a twin committed it first. */
    private Uni<Boolean> claim(ValidSignal signal, String hash, String model, boolean cut) {
        Instant now = clock.instant();
        Signal routed = new Signal(signal.signalId(), signal.instrument().toString(), signal.side(), signal.quantity(), signal.quote(),
                model, signal.type(), signal.price(), signal.stopLoss(), signal.takeProfit(), signal.raw().execution());
        String request = json(signal.raw());
        return pool.withTransaction(tx -> signals.insert(tx, signal, hash, request, model, now, LEASE, cut ? signal.quantity() : null,
                        cut ? signal.quote() : null)
                        .flatMap(inserted -> inserted
                                ? outbox.append(tx, List.of(outbox.event(EventTypes.SIGNAL_ROUTED, routed))).replaceWith(true)
                                : Uni.createFrom().item(false)))
                .invoke(inserted -> {
                    if (inserted) {
                        outbox.committed();
                    }
                });
    }

    private Uni<SignalAnswer> resume(SignalRecord record, ValidSignal signal, String hash, Instant waitUntil) {
        if (!record.requestHash().equals(hash)) {
            throw Problems.keyReused("signal_id " + signal.signalId() + " was first used for a different signal.");
        }
        if (record.finished()) {
            metrics.replayed();
            return Uni.createFrom().item(new SignalAnswer(record.responseStatus(), record.response(), true));
        }
        Instant now = clock.instant();
        if (record.leaseUntil().isBefore(now)) {
            return signals.takeOver(signal.signalId(), now, LEASE).flatMap(taken -> taken.isPresent()
                    ? dispatch(placed(signal, taken.get()), taken.get().model(), cutOf(signal, taken.get()))
                    : process(signal, hash, waitUntil));
        }
        if (now.isAfter(waitUntil)) {
            throw Problems.inFlight("signal " + signal.signalId() + " is still being placed; retry to get its answer.");
        }
        return Uni.createFrom().voidItem().onItem().delayIt().by(POLL).flatMap(x -> process(signal, hash, waitUntil));
    }

    private Uni<SignalAnswer> dispatch(ValidSignal signal, String model, SignalResult.BudgetCut cut) {
        String key = "ops-" + signal.signalId();
        OrderRequest simple = OrderRequest.simple(key, signal.instrument().toString(), signal.side(), signal.type(), signal.quantity(),
                signal.quote(), signal.price(), null, model);
        Execution execution = signal.raw().execution();
        OrderRequest order = execution == null ? simple : new OrderRequest(simple.clientOrderId(), simple.symbol(), simple.side(), simple.type(),
                simple.quantity(), simple.quoteQuantity(), simple.price(), null, null, null, null, null, null, null, simple.model(), execution);
        Uni<EngineAnswer> placed = signal.isBracket()
                ? engines.placeBracket(signal.instrument().venue(), key, new BracketRequest(order, signal.stopLoss(), signal.takeProfit()))
                : engines.placeOrder(signal.instrument().venue(), key, order);
        return placed
                .flatMap(answer -> conclude(signal, model, answer, cut))
                .onFailure(EngineUnavailableException.class).recoverWithUni(e -> giveUp(signal, (EngineUnavailableException) e));
    }

    private Uni<SignalAnswer> conclude(ValidSignal signal, String model, EngineAnswer answer, SignalResult.BudgetCut cut) {
        if (answer.isSuccess()) {
            Order order;
            List<String> children = null;
            if (signal.isBracket()) {
                List<Order> orders = read(answer.body(), ContingentOrders.class).orders();
                order = orders.get(0);
                children = orders.subList(1, orders.size()).stream().map(Order::id).toList();
            } else {
                order = read(answer.body(), Order.class);
            }
            SignalResult result = new SignalResult(signal.signalId(), model, order.symbol(), order.venue(), order.side(), order.id(),
                    order.clientOrderId(), order.status(), order.quantity(), order.filledQuantity(), order.averagePrice(), children,
                    clock.instant(), cut);
            return finish(signal, SignalRecord.ACCEPTED, order.id(), 202, json(result), null)
                    .invoke(() -> metrics.accepted(model));
        }
        if (answer.status() == 400 || answer.status() == 409 && !EngineClient.isInFlight(answer) || answer.status() == 422) {
            Problem engine = read(answer.body(), Problem.class);
            RejectReason reason = engine.reason() != null ? engine.reason() : RejectReason.INVALID_REQUEST;
            Problem problem = Problem.of(ProblemTypes.SIGNAL_REJECTED, "Signal rejected", 422,
                            "The engine refused the order: " + engine.detail())
                    .withReason(reason, engine.limit(), engine.value())
                    .withOrder(engine.orderId())
                    .withSignal(signal.signalId(), model)
                    .withErrors(engine.errors());
            return finish(signal, SignalRecord.REJECTED, engine.orderId(), 422, json(problem), problem)
                    .invoke(() -> metrics.rejected(reason));
        }
        // 409 in flight, 401/403 (a token mismatch between OPS and the engine), 404 (a wrong engine URL): not an answer.
        String why = EngineClient.isInFlight(answer) ? "the engine is still placing this order"
                : "the engine answered " + answer.status() + " (check tradeplane.engines.*.url and ENGINE_TOKEN)";
        return giveUp(signal, new EngineUnavailableException(signal.instrument().venue(), why, null));
    }

    private Uni<SignalAnswer> finish(ValidSignal signal, String status, String orderId, int code, String body, Problem rejection) {
        Instant now = clock.instant();
        return pool.withTransaction(tx -> signals.finish(tx, signal.signalId(), status, orderId, code, body, now)
                        .flatMap(x -> rejection == null ? Uni.createFrom().voidItem()
                                : outbox.append(tx, List.of(outbox.event(EventTypes.SIGNAL_REJECTED, rejection)))))
                .invoke(outbox::committed)
                .replaceWith(new SignalAnswer(code, body, false));
    }

    /** The engine gave no answer: keep the signal, free its lease for the next retry, and say 503. */
    private Uni<SignalAnswer> giveUp(ValidSignal signal, EngineUnavailableException e) {
        LOG.warnf("Signal %s not placed yet: %s", signal.signalId(), e.getMessage());
        metrics.rejected(RejectReason.ENGINE_UNAVAILABLE);
        return signals.release(signal.signalId(), clock.instant())
                .onFailure().invoke(f -> LOG.warnf("Could not release the lease of %s: %s", signal.signalId(), f.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWith(Uni.createFrom().failure(unavailable(e)));
    }

    private ProblemException unavailable(EngineUnavailableException e) {
        return Problems.unavailable(ProblemTypes.ENGINE_UNAVAILABLE, "Engine unavailable",
                e.getMessage() + ". Nothing was lost: retry the same signal_id; it cannot create a second order.", e.retryAfterSeconds());
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize", e);
        }
    }

    private <T> T read(String body, Class<T> type) {
        try {
            return mapper.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable answer from the engine", e);
        }
    }
}

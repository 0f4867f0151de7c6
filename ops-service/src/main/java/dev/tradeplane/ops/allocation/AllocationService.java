package dev.tradeplane.ops.allocation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tradeplane.common.outbox.Outbox;
import dev.tradeplane.model.Account;
import dev.tradeplane.model.Allocations;
import dev.tradeplane.model.EventTypes;
import dev.tradeplane.model.Instrument;
import dev.tradeplane.model.MarketSnapshot;
import dev.tradeplane.ops.engine.EngineClient;
import dev.tradeplane.ops.routing.Model;
import dev.tradeplane.ops.routing.ModelRepository;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Runs the capital allocator every {@code tradeplane.allocator.interval}: reads the engines' equity and market
 * prices, samples each model's PnL, computes the shares ({@link Allocator}) under the effective capital policy, and
 * when a share moved commits the allocation with its inputs and an {@code allocation.changed} event, then exports it
 * to {@code capital_allocations.json}. The budgets in force are the last allocation's.
 */
@Singleton
public class AllocationService {

    private static final Logger LOG = Logger.getLogger(AllocationService.class);

    /** The allocation in force: when, the equity it used, and each model's share and when that last moved. */
    record Current(Instant at, BigDecimal equity, boolean equityStale, Allocator.Result result, Map<String, Instant> changedAt,
                   Map<String, String> statuses, AllocationPolicy policy) {}

    private final AllocatorConfig config;
    private final CapitalPolicy policies;
    private final AllocationRepository repository;
    private final ModelRepository models;
    private final EngineClient engines;
    private final Outbox outbox;
    private final Pool pool;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Map<String, Deque<double[]>> mids = new ConcurrentHashMap<>();
    private volatile Current current;
    private volatile BigDecimal lastEquity;
    private final java.util.concurrent.atomic.AtomicReference<Uni<Optional<Allocations>>> running = new java.util.concurrent.atomic.AtomicReference<>();

    public AllocationService(AllocatorConfig config, CapitalPolicy policies, AllocationRepository repository, ModelRepository models,
                             EngineClient engines, Outbox outbox, Pool pool, ObjectMapper mapper, Clock clock) {
        this.config = config;
        this.policies = policies;
        this.repository = repository;
        this.models = models;
        this.engines = engines;
        this.outbox = outbox;
        this.pool = pool;
        this.mapper = mapper;
        this.clock = clock;
    }

    @Scheduled(every = "${tradeplane.allocator.interval:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Disabled.class)
    Uni<Void> scheduled() {
        return run().replaceWithVoid().onFailure().recoverWithItem(e -> {
            LOG.warnf("Allocation round failed; the budgets in force stay: %s", e.getMessage());
            return null;
        });
    }

    /** Starts a round without waiting for it (after a model's status changed, so its budget follows at once). */
    public void reallocateSoon() {
        if (config.enabled()) {
            run().subscribe().with(ok -> { }, e -> LOG.warnf("Reallocation after a model change failed: %s", e.getMessage()));
        }
    }

    /** Whether the allocator is on. */
    public boolean enabled() {
        return config.enabled();
    }

    /** One allocation round now (joining the one under way, if any); the allocation in force after it. */
    public Uni<Optional<Allocations>> run() {
        Uni<Optional<Allocations>> mine = round().onTermination().invoke(() -> running.set(null)).memoize().indefinitely();
        Uni<Optional<Allocations>> under = running.compareAndExchange(null, mine);
        return under != null ? under : mine;
    }

    private Uni<Optional<Allocations>> round() {
        Instant now = clock.instant();
        AllocationPolicy policy = policies.current();
        return equity().flatMap(equity -> {
            if (equity.isEmpty()) {
                LOG.warn("No engine answered for its equity and none is known yet; no allocation this round");
                return Uni.createFrom().item(Optional.<Allocations>empty());
            }
            boolean stale = !equity.get().fresh();
            BigDecimal value = equity.get().value();
            return sampleMarkets(now).flatMap(volatility -> models.all()
                    .flatMap(all -> repository.pnlByModel().flatMap(pnl -> repository.sample(pnl, value, now))
                            .flatMap(x -> repository.returns(now.minus(config.window())))
                            .flatMap(returns -> allocate(all, returns, value, stale, volatility, now, policy))))
                    .flatMap(x -> view().map(Optional::of));
        });
    }

    private Uni<Void> allocate(List<Model> all, Map<String, double[]> returns, BigDecimal equity, boolean stale, double volatility,
                               Instant now, AllocationPolicy policy) {
        Current before = current;
        List<Allocator.ModelInput> inputs = new ArrayList<>();
        for (Model m : all) {
            BigDecimal previous = before == null ? null : before.result().shareOf(m.name());
            Instant changed = before == null ? null : before.changedAt().get(m.name());
            inputs.add(new Allocator.ModelInput(m.name(), m.status(), returns.getOrDefault(m.name(), new double[0]),
                    m.backtest() == null ? null : m.backtest().sharpe(), previous, changed));
        }
        Allocator.Result result = Allocator.allocate(inputs, volatility, now, policy);
        Map<String, Instant> changedAt = new LinkedHashMap<>();
        boolean moved = before == null || before.equity().compareTo(equity) != 0;
        for (Allocator.ModelShare s : result.shares()) {
            BigDecimal previous = before == null ? null : before.result().shareOf(s.model());
            boolean differs = previous == null || previous.compareTo(s.share()) != 0;
            moved |= differs;
            changedAt.put(s.model(), differs ? now : before.changedAt().getOrDefault(s.model(), now));
        }
        Map<String, String> statuses = new LinkedHashMap<>();
        all.forEach(m -> statuses.put(m.name(), m.status().dbValue()));
        Current next = new Current(now, equity, stale, result, changedAt, statuses, policy);
        if (!moved) {
            current = next;
            return Uni.createFrom().voidItem();
        }
        Allocations snapshot = snapshot(next, Map.of());
        String shares = json(snapshot);
        String inputsJson = json(Map.of("policy", policy, "equity", equity, "equity_stale", stale, "volatility", volatility,
                "samples", returns.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().length))));
        return pool.withTransaction(tx -> repository.insert(tx, now, policy.method(), equity, result.volatility(), result.damped(), shares,
                        inputsJson).flatMap(seq -> outbox.append(tx, List.of(outbox.event(EventTypes.ALLOCATION_CHANGED, snapshot)))))
                .invoke(() -> {
                    current = next;
                    outbox.committed();
                    export(snapshot);
                    LOG.infof("Capital reallocated (%s, equity %s%s): %s", policy.method(), equity.toPlainString(), stale ? ", stale" : "",
                            summary(result));
                });
    }

    /** The allocation in force with each model's live use of its budget, or empty before the first round. */
    public Uni<Allocations> view() {
        Current c = current;
        if (c == null) {
            return Uni.createFrom().nullItem();
        }
        List<Uni<Map.Entry<String, BigDecimal>>> used = new ArrayList<>();
        for (Allocator.ModelShare s : c.result().shares()) {
            used.add(repository.exposure(s.model()).map(e -> Map.entry(s.model(), e)));
        }
        return (used.isEmpty() ? Uni.createFrom().item(List.<Map.Entry<String, BigDecimal>>of())
                : Uni.join().all(used).andFailFast())
                .map(list -> {
                    Map<String, BigDecimal> exposures = new LinkedHashMap<>();
                    list.forEach(e -> exposures.put(e.getKey(), e.getValue()));
                    return snapshot(c, exposures);
                });
    }

    /**
     * A model's budget in force and the capital policy; empty before the first allocation, and for a model the
     * allocator has not judged yet (new since the last round), which are not held to a budget until it has.
     */
    public Optional<ModelBudget> budgetOf(String model) {
        Current c = current;
        if (c == null || !c.statuses().containsKey(model)) {
            return Optional.empty();
        }
        return Optional.of(new ModelBudget(budget(c, c.result().shareOf(model)), c.policy().onOverBudget()));
    }

    /** The budget of one model and what to do with a signal over it. */
    public record ModelBudget(BigDecimal budget, OverBudget onOverBudget) {}

    private static BigDecimal budget(Current c, BigDecimal share) {
        return share.multiply(c.equity()).setScale(2, RoundingMode.DOWN);
    }

    private Allocations snapshot(Current c, Map<String, BigDecimal> exposures) {
        List<Allocations.Budget> budgets = new ArrayList<>();
        for (Allocator.ModelShare s : c.result().shares()) {
            BigDecimal budget = budget(c, s.share());
            BigDecimal used = exposures.get(s.model());
            BigDecimal usedRounded = used == null ? null : used.setScale(2, RoundingMode.HALF_EVEN);
            budgets.add(new Allocations.Budget(s.model(), c.statuses().get(s.model()), s.share(), budget, usedRounded,
                    used == null ? null : budget.subtract(usedRounded).max(BigDecimal.ZERO), s.sharpe(), s.samples(), s.score(),
                    c.changedAt().get(s.model()), s.notes()));
        }
        return new Allocations(c.at(), c.policy().method().name(), c.equity(), c.equityStale(), c.result().volatility(),
                c.policy().volatilityThreshold(), c.result().damped(), budgets);
    }

    private record Equity(BigDecimal value, boolean fresh) {}

    /** The engines' equity in USD, summed; the last known value if one cannot be asked. */
    private Uni<Optional<Equity>> equity() {
        List<Uni<BigDecimal>> asks = new ArrayList<>();
        for (String venue : engines.venues()) {
            asks.add(engines.accounts(venue).map(accounts -> accounts.stream().map(Account::equityUsd)
                    .filter(java.util.Objects::nonNull).reduce(BigDecimal.ZERO, BigDecimal::add)));
        }
        if (asks.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return Uni.join().all(asks).andFailFast()
                .map(values -> {
                    BigDecimal sum = values.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
                    lastEquity = sum;
                    return Optional.of(new Equity(sum, true));
                })
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("Engine equity not available (%s); using the last known", e.getMessage());
                    return Optional.ofNullable(lastEquity).map(v -> new Equity(v, false));
                });
    }

    /** Samples every traded market's mid and returns the highest annualized realized volatility over the window. */
    private Uni<Double> sampleMarkets(Instant now) {
        double periodsPerYear = policies.current().periodsPerYear();
        int keep = (int) Math.max(3, config.window().toMillis() / Math.max(1, config.interval().toMillis()) + 1);
        List<Uni<Void>> samples = new ArrayList<>();
        for (String venue : engines.venues()) {
            samples.add(engines.instruments(venue).flatMap(list -> {
                List<Uni<Void>> perInstrument = new ArrayList<>();
                for (Instrument i : list) {
                    perInstrument.add(engines.market(venue, i.symbol()).invoke(m -> record(i.symbol(), m, now, keep))
                            .replaceWithVoid().onFailure().recoverWithNull());
                }
                return perInstrument.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(perInstrument).andCollectFailures().replaceWithVoid();
            }).onFailure().recoverWithNull());
        }
        Uni<Void> all = samples.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(samples).andCollectFailures().replaceWithVoid();
        return all.map(x -> {
            double max = 0;
            for (Deque<double[]> series : mids.values()) {
                double[] prices;
                synchronized (series) {
                    prices = series.stream().mapToDouble(p -> p[1]).toArray();
                }
                max = Math.max(max, Stats.realizedVolatility(prices, periodsPerYear));
            }
            return max;
        });
    }

    private void record(String instrument, MarketSnapshot m, Instant now, int keep) {
        if (m == null || m.mid() == null || m.mid().signum() <= 0) {
            return;
        }
        Deque<double[]> series = mids.computeIfAbsent(instrument, k -> new ArrayDeque<>());
        synchronized (series) {
            series.addLast(new double[] {now.toEpochMilli(), m.mid().doubleValue()});
            while (series.size() > keep) {
                series.pollFirst();
            }
        }
    }

    private void export(Allocations snapshot) {
        String file = config.exportFile();
        if (file == null || file.isBlank() || "off".equals(file)) {
            return;
        }
        try {
            Path target = Path.of(file);
            if (target.getParent() != null) {
                Files.createDirectories(target.getParent());
            }
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            Files.writeString(tmp, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(snapshot));
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warnf("Allocation not exported to %s: %s", file, e.getMessage());
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String summary(Allocator.Result r) {
        StringBuilder b = new StringBuilder();
        for (Allocator.ModelShare s : r.shares()) {
            b.append(s.model()).append('=').append(s.share().toPlainString()).append(' ');
        }
        return b.toString().trim();
    }

    /** Skips the scheduled round when the allocator is off. */
    @Singleton
    public static class Disabled implements Scheduled.SkipPredicate {
        private final AllocatorConfig config;

        public Disabled(AllocatorConfig config) {
            this.config = config;
        }

        @Override
        public boolean test(io.quarkus.scheduler.ScheduledExecution execution) {
            return !config.enabled();
        }
    }
}

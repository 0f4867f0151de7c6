package dev.tradeplane.ops.canary;

import dev.tradeplane.common.outbox.Outbox;
import dev.tradeplane.common.problem.ProblemException;
import dev.tradeplane.model.CanaryDecision;
import dev.tradeplane.model.EventTypes;
import dev.tradeplane.model.ModelPerformance;
import dev.tradeplane.ops.allocation.AllocationService;
import dev.tradeplane.ops.allocation.CapitalPolicy;
import dev.tradeplane.ops.allocation.Stats;
import dev.tradeplane.ops.routing.ModelService;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Judges canaries (and active models) every {@code tradeplane.canary.interval} on what they did since they entered
 * their status. A canary with enough trades and time is promoted when its live Sharpe, drawdown and win rate all meet
 * the promotion thresholds, demoted (retired) when its Sharpe or drawdown crosses the demotion thresholds, and held
 * otherwise. An active model that crosses the demotion thresholds goes back to canary. Each decision is stored with
 * its statistics and thresholds and published as {@code model.canary_decision} (a hold only when it is news: the
 * previous decision for the model was not a hold); promotions and demotions go through the registry, audited. The
 * statistics themselves are published as {@code model.performance} whenever they changed, for governance policies.
 */
@Singleton
public class CanaryManager {

    public static final String ACTOR = "canary-manager";
    private static final Logger LOG = Logger.getLogger(CanaryManager.class);

    private final CanaryPolicy config;
    private final CanaryRepository repository;
    private final ModelService models;
    private final AllocationService allocations;
    private final CapitalPolicy capital;
    private final Outbox outbox;
    private final Pool pool;
    private final Clock clock;
    /** The figures last published per model and status period, so an idle model does not publish every round. */
    private final java.util.Map<String, CanaryDecision.Stats> published = new java.util.concurrent.ConcurrentHashMap<>();

    public CanaryManager(CanaryPolicy config, CanaryRepository repository, ModelService models, AllocationService allocations,
                         CapitalPolicy capital, Outbox outbox, Pool pool, Clock clock) {
        this.config = config;
        this.repository = repository;
        this.models = models;
        this.allocations = allocations;
        this.capital = capital;
        this.outbox = outbox;
        this.pool = pool;
        this.clock = clock;
    }

    @Scheduled(every = "${tradeplane.canary.interval:60s}", delayed = "${tradeplane.canary.interval:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return run().replaceWithVoid().onFailure().recoverWithItem(e -> {
            LOG.warnf("Canary round failed: %s", e.getMessage());
            return null;
        });
    }

    /** Judges every canary and active model now; the decisions recorded. */
    public Uni<List<CanaryDecision>> run() {
        return repository.watched().flatMap(watched -> repository.lastDecisions().flatMap(last -> {
            Uni<List<CanaryDecision>> chain = Uni.createFrom().item(new ArrayList<>());
            for (CanaryRepository.Watched w : watched) {
                chain = chain.flatMap(out -> judge(w, last.get(w.name())).map(d -> {
                    if (d != null) {
                        out.add(d);
                    }
                    return out;
                }));
            }
            return chain;
        }));
    }

    /** The live statistics of every canary and active model now, by name (the dashboard's figures); decides nothing. */
    public Uni<Map<String, CanaryDecision.Stats>> performance() {
        Instant now = clock.instant();
        return repository.watched().flatMap(watched -> {
            Uni<Map<String, CanaryDecision.Stats>> chain = Uni.createFrom().item(new java.util.TreeMap<>());
            for (CanaryRepository.Watched w : watched) {
                chain = chain.flatMap(out -> Uni.combine().all().unis(repository.fills(w.name(), w.since()), repository.samples(w.name(), w.since()),
                                repository.changes(w.name())).asTuple()
                        .map(t -> {
                            out.put(w.name(), stats(w, t.getItem1(), t.getItem2(), t.getItem3(), now));
                            return out;
                        }));
            }
            return chain;
        });
    }

    private Uni<CanaryDecision> judge(CanaryRepository.Watched w, String lastDecision) {
        Instant now = clock.instant();
        return Uni.combine().all().unis(repository.fills(w.name(), w.since()), repository.samples(w.name(), w.since()),
                        repository.changes(w.name())).asTuple()
                .flatMap(t -> {
                    CanaryDecision.Stats stats = stats(w, t.getItem1(), t.getItem2(), t.getItem3(), now);
                    return performance(w, stats, now).replaceWith(stats);
                })
                .flatMap(stats -> {
                    Verdict v = verdict(w.status(), stats);
                    boolean news = !"hold".equals(v.decision()) || !"hold".equals(lastDecision) && "canary".equals(w.status());
                    if (!news) {
                        return Uni.createFrom().nullItem();
                    }
                    Uni<String> applied = switch (v.decision()) {
                        case "promote" -> move(w.name(), ModelService.Action.PROMOTE, v.reason());
                        case "demote" -> move(w.name(), ModelService.Action.DEMOTE, v.reason());
                        default -> Uni.createFrom().item(w.status());
                    };
                    return applied.flatMap(after -> record(new CanaryDecision(0, now, w.name(), w.status(),
                            after.equals(w.status()) && !"hold".equals(v.decision()) ? "hold" : v.decision(), after,
                            after.equals(w.status()) && !"hold".equals(v.decision()) ? v.reason() + " (not applied: the model changed meanwhile)"
                                    : v.reason(), stats, thresholds())));
                });
    }

    /** Publishes {@code model.performance} when the model's figures (other than their age) changed since the last one. */
    private Uni<Void> performance(CanaryRepository.Watched w, CanaryDecision.Stats stats, Instant now) {
        CanaryDecision.Stats figures = new CanaryDecision.Stats(stats.trades(), stats.sharpe(), stats.maxDrawdownPct(), stats.winRate(),
                stats.roundTrips(), 0);
        String key = w.name() + "|" + w.status() + "|" + w.since();
        if (figures.equals(published.get(key))) {
            return Uni.createFrom().voidItem();
        }
        ModelPerformance p = new ModelPerformance(w.name(), w.status(), w.since(), stats, now);
        return pool.withTransaction(tx -> outbox.append(tx, List.of(outbox.event(EventTypes.MODEL_PERFORMANCE, p))))
                .invoke(() -> {
                    outbox.committed();
                    published.keySet().removeIf(k -> k.startsWith(w.name() + "|"));
                    published.put(key, figures);
                });
    }

    private Uni<String> move(String name, ModelService.Action action, String reason) {
        return models.transition(name, action, ACTOR, reason).map(m -> m.status().dbValue())
                .onFailure(ProblemException.class).recoverWithUni(e -> models.all().map(all -> all.stream()
                        .filter(m -> m.name().equals(name)).findFirst().map(m -> m.status().dbValue()).orElse("unknown")));
    }

    private Uni<CanaryDecision> record(CanaryDecision d) {
        return pool.withTransaction(tx -> repository.insert(tx, d).flatMap(seq -> {
                    CanaryDecision stored = new CanaryDecision(seq, d.at(), d.model(), d.statusBefore(), d.decision(), d.statusAfter(),
                            d.reason(), d.stats(), d.thresholds());
                    return outbox.append(tx, List.of(outbox.event(EventTypes.CANARY_DECISION, stored))).replaceWith(stored);
                }))
                .invoke(stored -> {
                    outbox.committed();
                    LOG.infof("Canary manager: %s %s (%s -> %s): %s", stored.decision(), stored.model(), stored.statusBefore(),
                            stored.statusAfter(), stored.reason());
                });
    }

    private record Verdict(String decision, String reason) {}

    private Verdict verdict(String status, CanaryDecision.Stats s) {
        boolean degraded = s.sharpe() != null && s.sharpe().compareTo(config.demoteSharpe()) < 0
                || s.maxDrawdownPct() != null && s.maxDrawdownPct().compareTo(config.demoteMaxDrawdownPct()) > 0;
        String numbers = "trades " + s.trades() + ", Sharpe " + plain(s.sharpe()) + ", drawdown " + plain(s.maxDrawdownPct()) + "%, win rate "
                + plain(s.winRate());
        if (s.trades() < config.minTrades()) {
            return new Verdict("hold", "not enough evidence: " + s.trades() + " of " + config.minTrades() + " trades");
        }
        if (degraded) {
            return new Verdict("demote", "degraded: " + numbers + " (demotion below Sharpe " + plain(config.demoteSharpe()) + " or above drawdown "
                    + plain(config.demoteMaxDrawdownPct()) + "%)");
        }
        if ("active".equals(status)) {
            return new Verdict("hold", "healthy: " + numbers);
        }
        if (s.ageSeconds() < config.minAge().toSeconds()) {
            return new Verdict("hold", "not enough time: a canary for " + s.ageSeconds() + " s of " + config.minAge().toSeconds() + " s");
        }
        boolean promote = s.sharpe() != null && s.sharpe().compareTo(config.promoteSharpe()) >= 0
                && (s.maxDrawdownPct() == null || s.maxDrawdownPct().compareTo(config.promoteMaxDrawdownPct()) <= 0)
                && s.winRate() != null && s.winRate().compareTo(config.promoteWinRate()) >= 0;
        return promote ? new Verdict("promote", "meets every promotion threshold: " + numbers)
                : new Verdict("hold", "undecided: " + numbers);
    }

    private CanaryDecision.Stats stats(CanaryRepository.Watched w, int trades, List<CanaryRepository.Sample> samples,
                                       List<CanaryRepository.Change> changes, Instant now) {
        double[] returns = new double[Math.max(0, samples.size() - 1)];
        for (int i = 1; i < samples.size(); i++) {
            BigDecimal equity = samples.get(i).equity();
            returns[i - 1] = equity.signum() == 0 ? 0 : samples.get(i).pnl().subtract(samples.get(i - 1).pnl()).doubleValue() / equity.doubleValue();
        }
        BigDecimal sharpe = null;
        if (returns.length >= capital.current().minSamples()) {
            double s = Stats.sharpe(returns, capital.current().periodsPerYear());
            sharpe = Double.isNaN(s) ? null : BigDecimal.valueOf(s).setScale(4, RoundingMode.HALF_EVEN);
        }
        BigDecimal drawdown = null;
        if (!samples.isEmpty()) {
            BigDecimal peak = samples.get(0).pnl();
            BigDecimal worst = BigDecimal.ZERO;
            for (CanaryRepository.Sample s : samples) {
                peak = peak.max(s.pnl());
                worst = worst.max(peak.subtract(s.pnl()));
            }
            BigDecimal base = allocations.budgetOf(w.name()).map(AllocationService.ModelBudget::budget).filter(b -> b.signum() > 0)
                    .orElse(samples.get(samples.size() - 1).equity());
            drawdown = base.signum() == 0 ? null : worst.multiply(BigDecimal.valueOf(100)).divide(base, 4, RoundingMode.HALF_EVEN);
        }
        int wins = 0;
        int trips = 0;
        Map<String, CanaryRepository.Change> previous = new HashMap<>();
        for (CanaryRepository.Change c : changes) {
            CanaryRepository.Change before = previous.put(c.instrument(), c);
            if (before == null || c.at().isBefore(w.since())) {
                continue;
            }
            if (c.quantity().abs().compareTo(before.quantity().abs()) < 0 || c.quantity().signum() * before.quantity().signum() < 0) {
                trips++;
                if (c.realized().compareTo(before.realized()) > 0) {
                    wins++;
                }
            }
        }
        BigDecimal winRate = trips == 0 ? null : BigDecimal.valueOf(wins).divide(BigDecimal.valueOf(trips), 4, RoundingMode.HALF_EVEN);
        return new CanaryDecision.Stats(trades, sharpe, drawdown, winRate, trips, Duration.between(w.since(), now).toSeconds());
    }

    private CanaryDecision.Thresholds thresholds() {
        return new CanaryDecision.Thresholds(config.minTrades(), config.minAge().toSeconds(), config.promoteSharpe(), config.promoteMaxDrawdownPct(),
                config.promoteWinRate(), config.demoteSharpe(), config.demoteMaxDrawdownPct());
    }

    private static String plain(BigDecimal v) {
        return v == null ? "n/a" : v.stripTrailingZeros().toPlainString();
    }
}

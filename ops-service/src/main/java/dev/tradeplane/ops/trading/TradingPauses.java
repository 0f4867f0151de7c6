package dev.tradeplane.ops.trading;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tradeplane.common.outbox.Outbox;
import dev.tradeplane.model.AuditEntry;
import dev.tradeplane.model.EventTypes;
import dev.tradeplane.model.TradingPause;
import dev.tradeplane.ops.audit.AuditLog;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Trading paused at the control plane, globally or for one venue, by an operator or a governance policy. The table
 * is the truth (every OPS replica reads it); each replica keeps a copy no older than {@link #FRESH} for the signal
 * path. Pausing what is paused, or resuming what is not, changes nothing and writes nothing.
 */
@Singleton
public class TradingPauses {

    /** How stale the copy of the pauses used to refuse signals may be (other replicas' changes show within it). */
    static final Duration FRESH = Duration.ofSeconds(1);

    /** What a pause or resume did: the pause (after a pause, or the one lifted), and whether anything changed. */
    public record Outcome(TradingPause pause, boolean changed) {}

    private final Pool pool;
    private final AuditLog audit;
    private final Outbox outbox;
    private final Clock clock;
    private volatile List<TradingPause> copy = List.of();
    private volatile Instant copiedAt = Instant.EPOCH;

    public TradingPauses(Pool pool, AuditLog audit, Outbox outbox, Clock clock) {
        this.pool = pool;
        this.audit = audit;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** The pause that stops new signals on {@code venue}, if any: a global one first. */
    public Uni<Optional<TradingPause>> covering(String venue) {
        Uni<List<TradingPause>> pauses = clock.instant().isBefore(copiedAt.plus(FRESH)) ? Uni.createFrom().item(copy) : all();
        return pauses.map(list -> list.stream().filter(p -> p.venue() == null).findFirst()
                .or(() -> list.stream().filter(p -> venue.equalsIgnoreCase(p.venue())).findFirst()));
    }

    /** Every pause in force, global first. */
    public Uni<List<TradingPause>> all() {
        Instant read = clock.instant();
        return pool.query("SELECT scope, reason, actor, policy, since FROM trading_pauses ORDER BY scope <> 'global', scope").execute()
                .map(rows -> {
                    List<TradingPause> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(pause(r));
                    }
                    copy = List.copyOf(out);
                    copiedAt = read;
                    return out;
                });
    }

    /** Pauses {@code venue} (null: everything); audited, with a {@code trading.paused} event when it changed anything. */
    public Uni<Outcome> pause(String venue, String reason, String actor, String policy, JsonNode trigger) {
        String scope = scope(venue);
        TradingPause pause = new TradingPause(venue == null ? TradingPause.GLOBAL : TradingPause.VENUE, normal(venue), reason, actor, policy,
                clock.instant());
        return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO trading_pauses (scope, reason, actor, policy, since) "
                                + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (scope) DO NOTHING")
                        .execute(Tuple.of(scope, reason, actor, policy, pause.since().atOffset(ZoneOffset.UTC)))
                        .flatMap(rows -> rows.rowCount() == 0
                                ? Uni.createFrom().item((AuditEntry) null)
                                : audit.record(tx, actor, "trading.pause", scope, policy, trigger, "ok", pause,
                                        outbox.event(EventTypes.TRADING_PAUSED, pause))))
                .invoke(this::committed)
                .flatMap(entry -> entry != null ? Uni.createFrom().item(new Outcome(pause, true))
                        : find(scope).map(existing -> new Outcome(existing.orElse(pause), false)));
    }

    /** Lifts the pause of {@code venue} (null: the global one); audited, with a {@code trading.resumed} event. */
    public Uni<Outcome> resume(String venue, String reason, String actor, String policy, JsonNode trigger) {
        String scope = scope(venue);
        return pool.withTransaction(tx -> tx.preparedQuery("DELETE FROM trading_pauses WHERE scope = $1 RETURNING scope, reason, actor, policy, since")
                        .execute(Tuple.of(scope))
                        .flatMap(rows -> {
                            if (!rows.iterator().hasNext()) {
                                return Uni.createFrom().item((Resumed) null);
                            }
                            TradingPause lifted = pause(rows.iterator().next());
                            return audit.record(tx, actor, "trading.resume", scope, policy, trigger, "ok",
                                            java.util.Map.of("lifted", lifted, "reason", reason == null ? "" : reason),
                                            outbox.event(EventTypes.TRADING_RESUMED, lifted))
                                    .map(entry -> new Resumed(lifted, entry));
                        }))
                .invoke(r -> committed(r == null ? null : r.entry()))
                .map(r -> r == null ? new Outcome(null, false) : new Outcome(r.lifted(), true));
    }

    private record Resumed(TradingPause lifted, AuditEntry entry) {}

    private void committed(AuditEntry entry) {
        copiedAt = Instant.EPOCH;
        if (entry != null) {
            audit.committed(entry);
        }
    }

    private Uni<Optional<TradingPause>> find(String scope) {
        return pool.preparedQuery("SELECT scope, reason, actor, policy, since FROM trading_pauses WHERE scope = $1").execute(Tuple.of(scope))
                .map(rows -> rows.iterator().hasNext() ? Optional.of(pause(rows.iterator().next())) : Optional.empty());
    }

    private static String scope(String venue) {
        return venue == null ? TradingPause.GLOBAL : TradingPause.VENUE + ":" + normal(venue);
    }

    private static String normal(String venue) {
        return venue == null ? null : venue.toUpperCase(Locale.ROOT);
    }

    private static TradingPause pause(Row r) {
        String scope = r.getString("scope");
        boolean global = TradingPause.GLOBAL.equals(scope);
        return new TradingPause(global ? TradingPause.GLOBAL : TradingPause.VENUE, global ? null : scope.substring(scope.indexOf(':') + 1),
                r.getString("reason"), r.getString("actor"), r.getString("policy"), r.getOffsetDateTime("since").toInstant());
    }
}

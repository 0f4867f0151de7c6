package dev.tradeplane.ops.signal;

import dev.tradeplane.common.idempotency.IdempotencyConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Forgets answered signals older than {@code tradeplane.idempotency.retention}: after that a signal_id may be used
 * again. Their orders stay at the engine and their events in the event log. Signals still being placed are kept.
 */
@Singleton
public class SignalHousekeeping {

    private static final Logger LOG = Logger.getLogger(SignalHousekeeping.class);

    private final Pool pool;
    private final IdempotencyConfig config;

    public SignalHousekeeping(Pool pool, IdempotencyConfig config) {
        this.pool = pool;
        this.config = config;
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> forgetOldSignals() {
        return pool.preparedQuery("DELETE FROM signals WHERE status <> 'DISPATCHING' AND created_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of(config.retention().toSeconds()))
                .invoke(rows -> {
                    if (rows.rowCount() > 0) {
                        LOG.infof("Forgot %d signals older than %s", rows.rowCount(), config.retention());
                    }
                })
                .replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("Signal clean-up failed: %s", e.getMessage());
                    return null;
                });
    }
}

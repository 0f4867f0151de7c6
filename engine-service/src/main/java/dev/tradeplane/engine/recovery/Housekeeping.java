package dev.tradeplane.engine.recovery;

import dev.tradeplane.common.idempotency.IdempotencyConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** Forgets idempotency keys older than {@code tradeplane.idempotency.retention}; their orders stay. */
@Singleton
public class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class);

    private final Pool pool;
    private final IdempotencyConfig config;

    public Housekeeping(Pool pool, IdempotencyConfig config) {
        this.pool = pool;
        this.config = config;
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> forgetOldKeys() {
        return pool.preparedQuery("DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of(config.retention().toSeconds()))
                .invoke(rows -> {
                    if (rows.rowCount() > 0) {
                        LOG.infof("Forgot %d idempotency keys older than %s", rows.rowCount(), config.retention());
                    }
                })
                .replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("Idempotency key clean-up failed: %s", e.getMessage());
                    return null;
                });
    }
}

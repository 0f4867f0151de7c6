package dev.tradeplane.common.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Publishes committed outbox events to the Redis stream, oldest first, and marks them published. Each event is also
 * PUBLISHed on the pub/sub channel {@code <stream>:live} for live views that may miss events (the stream is the record). Runs when nudged
 * after a commit and on a timer, so a crash between commit and publish loses nothing: the next round picks the
 * events up. A crash after XADD but before the mark publishes an event twice; consumers deduplicate by id.
 * Rows are claimed with {@code FOR UPDATE SKIP LOCKED}, so several instances can relay the same outbox.
 */
@Singleton
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final Pool pool;
    private final ReactiveRedisDataSource redis;
    private final EventsConfig config;
    private final String selectSql;
    private final String markSql;
    private final String purgeSql;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private final Counter published;
    private final Counter failures;
    private volatile boolean stopped;

    public OutboxRelay(Pool pool, ReactiveRedisDataSource redis, EventsConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.redis = redis;
        this.config = config;
        String table = Outbox.schema(config) + ".outbox";
        this.selectSql = "SELECT seq, id, type, event::text AS event FROM " + table
                + " WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED";
        this.markSql = "UPDATE " + table + " SET published_at = now() WHERE seq = ANY($1)";
        this.purgeSql = "DELETE FROM " + table + " WHERE published_at < now() - make_interval(secs => $1)";
        this.published = Counter.builder("outbox.published").description("Events the outbox relay published to Redis")
                .register(registry);
        this.failures = Counter.builder("outbox.publish.failures").description("Relay rounds that failed and will be retried")
                .register(registry);
    }

    /** Starts a relay round now, or right after the one in progress. */
    public void nudge() {
        if (stopped) {
            return;
        }
        again.set(true);
        if (running.compareAndSet(false, true)) {
            drain();
        }
    }

    @Scheduled(every = "${tradeplane.events.relay-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        nudge();
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purge() {
        return pool.preparedQuery(purgeSql).execute(Tuple.of(config.outboxRetention().toSeconds()))
                .replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("Outbox purge failed: %s", e.getMessage());
                    return null;
                });
    }

    /** Publishes everything pending, then returns; used on shutdown and by tests. */
    public Uni<Integer> flush() {
        return publishBatch().flatMap(n -> n == 0 ? Uni.createFrom().item(0) : flush().map(m -> n + m));
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
        try {
            flush().await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warnf("Outbox not fully flushed at shutdown (it is published at the next start): %s", e.getMessage());
        }
    }

    private void drain() {
        again.set(false);
        publishBatch().subscribe().with(
                count -> finishRound(count >= config.relayBatchSize()),
                failure -> {
                    failures.increment();
                    LOG.warnf("Outbox relay round failed, retrying at the next poll: %s", failure.getMessage());
                    running.set(false);
                });
    }

    private void finishRound(boolean full) {
        if (full || again.get()) {
            drain();
            return;
        }
        running.set(false);
        // A nudge may have arrived between the check and the reset.
        if (again.get() && running.compareAndSet(false, true)) {
            drain();
        }
    }

    private Uni<Integer> publishBatch() {
        return pool.withTransaction(tx -> tx.preparedQuery(selectSql).execute(Tuple.of(config.relayBatchSize()))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(0);
                    }
                    List<Request> commands = new ArrayList<>(rows.size() * 2);
                    List<Long> seqs = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        seqs.add(row.getLong("seq"));
                        commands.add(xadd(row));
                        commands.add(Request.cmd(Command.PUBLISH).arg(config.stream() + ":live").arg(row.getString("event")));
                    }
                    return redis.getRedis().batch(commands)
                            .flatMap(ignored -> tx.preparedQuery(markSql).execute(Tuple.of(seqs.toArray(Long[]::new))))
                            .invoke(() -> published.increment(seqs.size()))
                            .replaceWith(seqs.size());
                }));
    }

    private Request xadd(Row row) {
        return Request.cmd(Command.XADD).arg(config.stream()).arg("MAXLEN").arg("~").arg(config.streamMaxLength()).arg("*")
                .arg("id").arg(row.getUUID("id").toString()).arg("type").arg(row.getString("type"))
                .arg("event").arg(row.getString("event"));
    }
}

package dev.tradeplane.ops.signal;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/** Queries on signals. A signal row is claimed with a lease while its order is being placed. */
@Singleton
public class SignalRepository {

    private static final String COLUMNS = "signal_id, request_hash, request::text AS request, model, status, attempts, lease_until, "
            + "response_status, response, created_at, placed_quantity, placed_quote";

    private final Pool pool;

    public SignalRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Optional<SignalRecord>> find(String signalId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM signals WHERE signal_id = $1").execute(Tuple.of(signalId))
                .map(SignalRepository::first);
    }

    /** Inserts a new signal, leased to the caller; false when the id already exists. */
    public Uni<Boolean> insert(SqlConnection tx, ValidSignal signal, String hash, String requestJson, String model, Instant now,
                               Duration lease, java.math.BigDecimal placedQuantity, java.math.BigDecimal placedQuote) {
        return tx.preparedQuery("INSERT INTO signals (signal_id, request_hash, request, model, venue, symbol, status, attempts, "
                        + "lease_until, created_at, updated_at, placed_quantity, placed_quote) "
                        + "VALUES ($1, $2, $3::text::jsonb, $4, $5, $6, 'DISPATCHING', 1, $7, $8, $8, $9, $10) "
                        + "ON CONFLICT (signal_id) DO NOTHING")
                .execute(Tuple.tuple().addValue(signal.signalId()).addValue(hash).addValue(requestJson).addValue(model)
                        .addValue(signal.instrument().venue()).addValue(signal.instrument().toString()).addValue(utc(now.plus(lease)))
                        .addValue(utc(now)).addValue(placedQuantity).addValue(placedQuote))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Takes over a signal whose lease ran out (its dispatcher died or gave up); empty if someone else holds it. */
    public Uni<Optional<SignalRecord>> takeOver(String signalId, Instant now, Duration lease) {
        return pool.preparedQuery("UPDATE signals SET lease_until = $2, attempts = attempts + 1, updated_at = $3 "
                        + "WHERE signal_id = $1 AND status = 'DISPATCHING' AND lease_until < $3 RETURNING " + COLUMNS)
                .execute(Tuple.of(signalId, utc(now.plus(lease)), utc(now)))
                .map(SignalRepository::first);
    }

    /** Gives the lease back at once, so the next retry of the signal may dispatch it again. */
    public Uni<Void> release(String signalId, Instant now) {
        return pool.preparedQuery("UPDATE signals SET lease_until = $2, updated_at = $2 WHERE signal_id = $1 AND status = 'DISPATCHING'")
                .execute(Tuple.of(signalId, utc(now))).replaceWithVoid();
    }

    public Uni<Void> finish(SqlConnection tx, String signalId, String status, String orderId, int responseStatus, String response,
                            Instant now) {
        return tx.preparedQuery("UPDATE signals SET status = $2, order_id = $3, response_status = $4, response = $5, updated_at = $6 "
                        + "WHERE signal_id = $1")
                .execute(Tuple.tuple().addValue(signalId).addValue(status).addValue(orderId).addValue(responseStatus)
                        .addValue(response).addValue(utc(now)))
                .replaceWithVoid();
    }

    private static Optional<SignalRecord> first(RowSet<Row> rows) {
        Iterator<Row> it = rows.iterator();
        if (!it.hasNext()) {
            return Optional.empty();
        }
        Row r = it.next();
        return Optional.of(new SignalRecord(r.getString("signal_id"), r.getString("request_hash"), r.getString("request"),
                r.getString("model"), r.getString("status"), r.getInteger("attempts"), r.getOffsetDateTime("lease_until").toInstant(),
                r.getInteger("response_status"), r.getString("response"), r.getOffsetDateTime("created_at").toInstant(),
                r.getBigDecimal("placed_quantity"), r.getBigDecimal("placed_quote")));
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}

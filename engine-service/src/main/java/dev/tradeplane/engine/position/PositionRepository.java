package dev.tradeplane.engine.position;

import static dev.tradeplane.engine.persistence.Sql.decimal;
import static dev.tradeplane.engine.persistence.Sql.instant;
import static dev.tradeplane.engine.persistence.Sql.utc;

import dev.tradeplane.model.InstrumentId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Queries on positions. The lane owns the values; the table keeps the last committed ones. */
@Singleton
public class PositionRepository {

    /** A position row. */
    public record SavedPosition(InstrumentId instrument, String model, PositionState state, Instant updatedAt) {}

    private final Pool pool;

    public PositionRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> save(SqlConnection tx, InstrumentId instrument, String model, PositionState p, Instant at) {
        return tx.preparedQuery("INSERT INTO positions (venue, symbol, model, quantity, average_price, realized_pnl, fees, updated_at) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (venue, symbol, model) DO UPDATE SET "
                        + "quantity = EXCLUDED.quantity, average_price = EXCLUDED.average_price, realized_pnl = EXCLUDED.realized_pnl, "
                        + "fees = EXCLUDED.fees, updated_at = EXCLUDED.updated_at")
                .execute(Tuple.tuple(List.of(instrument.venue(), instrument.symbol(), model, p.quantity(), p.averagePrice(),
                        p.realizedPnl(), p.fees(), utc(at))))
                .replaceWithVoid();
    }

    public Uni<List<SavedPosition>> all() {
        return pool.query("SELECT venue, symbol, model, quantity, average_price, realized_pnl, fees, updated_at FROM positions "
                        + "ORDER BY venue, symbol, model")
                .execute()
                .map(rows -> {
                    List<SavedPosition> out = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        out.add(new SavedPosition(new InstrumentId(r.getString("symbol"), r.getString("venue")), r.getString("model"),
                                new PositionState(decimal(r, "quantity"), decimal(r, "average_price"), decimal(r, "realized_pnl"),
                                        decimal(r, "fees")),
                                instant(r, "updated_at")));
                    }
                    return out;
                });
    }
}

package dev.tradeplane.ops.pnl;

import dev.tradeplane.model.Position;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** OPS' view of every position, as the engines last reported it. */
@Singleton
public class PnlRepository {

    private final Pool pool;

    public PnlRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<Position>> positions() {
        return pool.query("SELECT venue, symbol, model, quantity, average_price, realized_pnl, fees, mark_price, unrealized_pnl, updated_at "
                        + "FROM positions ORDER BY venue, symbol, model")
                .execute()
                .map(rows -> {
                    List<Position> out = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        out.add(new Position(r.getString("symbol") + "." + r.getString("venue"), r.getString("venue"), r.getString("model"),
                                plain(r.getBigDecimal("quantity")), plain(r.getBigDecimal("average_price")), plain(r.getBigDecimal("realized_pnl")),
                                plain(r.getBigDecimal("fees")), plain(r.getBigDecimal("mark_price")), plain(r.getBigDecimal("unrealized_pnl")),
                                r.getOffsetDateTime("updated_at").toInstant()));
                    }
                    return out;
                });
    }

    private static BigDecimal plain(BigDecimal v) {
        return v == null ? null : v.stripTrailingZeros();
    }
}

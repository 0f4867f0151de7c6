package dev.tradeplane.engine.venue.paper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The paper venue's own store: an append-only journal in schema {@code paper}. Appends are written in the order they
 * are given (one after another), so a venue that waits for its appends answers and reports in the order it acted.
 */
final class PaperJournal {

    /** One journal line: what happened to which order of which symbol, with its data as JSON. */
    record Entry(String symbol, String kind, String clientOrderId, String data, Instant at) {}

    static final String ORDER = "ORDER";
    static final String TRADE = "TRADE";
    static final String DONE = "DONE";
    static final String REPLACE = "REPLACE";
    static final String MARKET = "MARKET";
    static final String OPENING = "OPENING";

    private final Pool pool;
    private final String venue;

    PaperJournal(Pool pool, String venue) {
        this.pool = pool;
        this.venue = venue;
    }

    Uni<Void> append(List<Entry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            rows.add(Tuple.tuple().addValue(venue).addValue(e.symbol()).addValue(e.kind()).addValue(e.clientOrderId())
                    .addValue(e.data()).addValue(e.at().atOffset(ZoneOffset.UTC)));
        }
        return pool.preparedQuery("INSERT INTO paper.journal (venue, symbol, kind, client_order_id, data, at) "
                        + "VALUES ($1, $2, $3, $4, $5::text::jsonb, $6)")
                .executeBatch(rows).replaceWithVoid();
    }

    /** Every entry of this venue, oldest first. */
    Uni<List<Entry>> readAll() {
        return pool.preparedQuery("SELECT symbol, kind, client_order_id, data::text AS data, at FROM paper.journal WHERE venue = $1 ORDER BY seq")
                .execute(Tuple.of(venue))
                .map(rows -> {
                    List<Entry> out = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        out.add(new Entry(r.getString("symbol"), r.getString("kind"), r.getString("client_order_id"), r.getString("data"),
                                r.getOffsetDateTime("at").toInstant()));
                    }
                    return out;
                });
    }
}

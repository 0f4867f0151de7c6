package dev.tradeplane.e2e;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Reads what the services stored, straight from their schemas, to check the invariants after a fault. */
final class Ledger {

    private final Stack stack;

    Ledger(Stack stack) {
        this.stack = stack;
    }

    /** Engine orders per client order id. */
    Map<String, Integer> ordersPerClientId(String prefix) throws Exception {
        Map<String, Integer> out = new HashMap<>();
        query("SELECT client_order_id, count(*) AS n FROM engine.orders WHERE client_order_id LIKE '" + prefix + "%' GROUP BY 1",
                r -> out.put(r.getString(1), r.getInt(2)));
        return out;
    }

    /** Orders not in a final or resting status. */
    int ordersInFlight() throws Exception {
        int[] n = new int[1];
        query("SELECT count(*) FROM engine.orders WHERE status IN ('NEW', 'PENDING_CANCEL', 'PENDING_REPLACE')", r -> n[0] = r.getInt(1));
        return n[0];
    }

    /** (symbol|model) whose position differs from the sum of its signed fills. */
    Set<String> positionsNotEqualToFills() throws Exception {
        Set<String> out = new HashSet<>();
        query("SELECT p.symbol || '|' || p.model, p.quantity, coalesce((SELECT sum(CASE WHEN f.side = 'BUY' THEN f.quantity ELSE -f.quantity END) "
                        + "FROM engine.fills f WHERE f.symbol = p.symbol AND f.venue = p.venue AND f.model = p.model), 0) FROM engine.positions p",
                r -> {
                    if (r.getBigDecimal(2).compareTo(r.getBigDecimal(3)) != 0) {
                        out.add(r.getString(1) + " position " + r.getBigDecimal(2) + " fills " + r.getBigDecimal(3));
                    }
                });
        return out;
    }

    Set<String> engineFillIds() throws Exception {
        Set<String> out = new HashSet<>();
        query("SELECT id::text FROM engine.fills", r -> out.add(r.getString(1)));
        return out;
    }

    /** Fill ids OPS received as order.filled events. */
    Set<String> opsFillIds() throws Exception {
        Set<String> out = new HashSet<>();
        query("SELECT event->'payload'->>'id' FROM ops.events WHERE type = 'order.filled'", r -> out.add(r.getString(1)));
        return out;
    }

    /** Ids of every event the engine's outbox holds. */
    Set<String> engineEventIds() throws Exception {
        Set<String> out = new HashSet<>();
        query("SELECT id::text FROM engine.outbox", r -> out.add(r.getString(1)));
        return out;
    }

    /** Ids of every event OPS stored, and how many rows (duplicates would show as more rows than ids). */
    Set<String> opsEventIds() throws Exception {
        Set<String> out = new HashSet<>();
        query("SELECT id::text FROM ops.events", r -> out.add(r.getString(1)));
        return out;
    }

    int opsEventRows() throws Exception {
        int[] n = new int[1];
        query("SELECT count(*) FROM ops.events", r -> n[0] = r.getInt(1));
        return n[0];
    }

    /** Realized PnL by model, at the engine. */
    Map<String, BigDecimal> engineRealized() throws Exception {
        Map<String, BigDecimal> out = new HashMap<>();
        query("SELECT model, sum(realized_pnl) FROM engine.positions GROUP BY model", r -> out.put(r.getString(1), r.getBigDecimal(2).stripTrailingZeros()));
        return out;
    }

    /** Realized PnL by model, at OPS. */
    Map<String, BigDecimal> opsRealized() throws Exception {
        Map<String, BigDecimal> out = new HashMap<>();
        query("SELECT model, sum(realized_pnl) FROM ops.positions GROUP BY model", r -> out.put(r.getString(1), r.getBigDecimal(2).stripTrailingZeros()));
        return out;
    }

    private interface RowReader {
        void read(ResultSet r) throws Exception;
    }

    private void query(String sql, RowReader reader) throws Exception {
        try (Connection c = stack.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                reader.read(r);
            }
        }
    }
}

package dev.tradeplane.engine.order;

import static dev.tradeplane.engine.persistence.Sql.decimal;
import static dev.tradeplane.engine.persistence.Sql.first;
import static dev.tradeplane.engine.persistence.Sql.instant;
import static dev.tradeplane.engine.persistence.Sql.utc;

import dev.tradeplane.model.ContingencyType;
import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.Order;
import dev.tradeplane.model.OrderStatus;
import dev.tradeplane.model.OrderType;
import dev.tradeplane.model.RejectReason;
import dev.tradeplane.model.Side;
import dev.tradeplane.model.TimeInForce;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Queries on orders, their transitions and their idempotency keys. Writes take the caller's transaction. */
@Singleton
public class OrderRepository {

    /** An idempotency key as stored: the request's fingerprint, and the response once there is one. */
    public record StoredKey(String requestHash, UUID orderId, Integer responseStatus, String response) {}

    /** A working order as saved, ready to be put back into its lane. */
    public record SavedWorkingOrder(OrderSpec spec, WorkingOrder.Saved saved) {}

    private static final String COLUMNS = "o.id, o.client_order_id, o.symbol, o.venue, o.side, o.type, o.time_in_force, o.quantity, "
            + "o.quote_quantity, o.price, o.stop_price, o.trailing_offset, o.trailing_offset_bps, o.limit_offset, o.trigger_price, "
            + "o.trail_reference, o.triggered_at, o.post_only, o.expire_at, o.filled_quantity, o.average_price, o.fees, o.status, "
            + "o.reject_reason, o.reject_detail, o.model, o.venue_order_id, o.contingency, o.parent_id, o.oco_partner_id, "
            + "o.cancel_requested_at, o.created_at, o.updated_at, "
            + "array(SELECT c.id::text FROM orders c WHERE c.parent_id = o.id ORDER BY c.created_at, c.id) AS children";

    private static final String WORKING = "('NEW', 'HELD', 'OPEN', 'PARTIALLY_FILLED', 'PENDING_CANCEL', 'PENDING_REPLACE')";

    private final Pool pool;

    public OrderRepository(Pool pool) {
        this.pool = pool;
    }

    /** Claims the key; false when it already exists. */
    public Uni<Boolean> insertKey(SqlConnection tx, String key, String requestHash, UUID orderId, Instant at) {
        return tx.preparedQuery("INSERT INTO idempotency_keys (key, request_hash, order_id, created_at) VALUES ($1, $2, $3, $4) "
                        + "ON CONFLICT (key) DO NOTHING")
                .execute(Tuple.of(key, requestHash, orderId, utc(at)))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Void> storeResponse(SqlConnection tx, String key, int status, String body) {
        return tx.preparedQuery("UPDATE idempotency_keys SET response_status = $2, response = $3 WHERE key = $1")
                .execute(Tuple.of(key, status, body)).replaceWithVoid();
    }

    /**
     * Answers the keys whose first order is one of these and that have no answer yet (orders settled after their
     * request was cut off by a crash or a database failure).
     */
    public Uni<Void> storeResponsesIfMissing(SqlConnection tx, Map<UUID, StoredResponse> answers) {
        if (answers.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>(answers.size());
        answers.forEach((id, a) -> rows.add(Tuple.of(id, a.status(), a.body())));
        return tx.preparedQuery("UPDATE idempotency_keys SET response_status = $2, response = $3 WHERE order_id = $1 AND response_status IS NULL")
                .executeBatch(rows).replaceWithVoid();
    }

    /** Whether the outbox holds the event: the transaction that wrote it committed. */
    public Uni<Boolean> eventCommitted(UUID eventId) {
        return pool.preparedQuery("SELECT 1 FROM outbox WHERE id = $1").execute(Tuple.of(eventId)).map(rows -> rows.size() > 0);
    }

    public Uni<Optional<StoredKey>> findKey(String key) {
        return pool.preparedQuery("SELECT request_hash, order_id, response_status, response FROM idempotency_keys WHERE key = $1")
                .execute(Tuple.of(key))
                .map(rows -> first(rows).map(r -> new StoredKey(r.getString("request_hash"), r.getUUID("order_id"),
                        r.getInteger("response_status"), r.getString("response"))));
    }

    /**
     * Inserts new orders, each with the client order id its venue knows it by ({@code venueClientId}) when that is
     * not ours, so a trade reported under it is found later (see {@link #findSavedAtVenue}).
     */
    public Uni<Void> insert(SqlConnection tx, List<WorkingOrder> orders, java.util.function.UnaryOperator<String> venueClientId) {
        if (orders.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>(orders.size());
        for (WorkingOrder o : orders) {
            OrderSpec s = o.spec();
            Tuple t = Tuple.tuple();
            t.addValue(s.id()).addValue(s.clientOrderId()).addValue(s.instrument().symbol()).addValue(s.instrument().venue())
                    .addValue(s.side().name()).addValue(s.type().name()).addValue(s.timeInForce().name()).addValue(s.quoteQuantity())
                    .addValue(s.trailingOffset()).addValue(s.trailingOffsetBps()).addValue(s.limitOffset()).addValue(s.postOnly())
                    .addValue(utc(s.expireAt())).addValue(s.model()).addValue(s.contingency() == null ? null : s.contingency().name())
                    .addValue(s.parentId()).addValue(utc(s.createdAt()));
            mutable(t, o);
            String atVenue = venueClientId.apply(s.clientOrderId());
            t.addValue(atVenue.equals(s.clientOrderId()) ? null : atVenue);
            rows.add(t);
        }
        return tx.preparedQuery("INSERT INTO orders (id, client_order_id, symbol, venue, side, type, time_in_force, quote_quantity, "
                        + "trailing_offset, trailing_offset_bps, limit_offset, post_only, expire_at, model, contingency, parent_id, created_at, "
                        + "quantity, price, stop_price, trigger_price, trail_reference, triggered_at, filled_quantity, average_price, fees, "
                        + "status, reject_reason, reject_detail, venue_order_id, oco_partner_id, updated_at, cancel_requested_at, venue_client_id) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
                        + "$18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34)")
                .executeBatch(rows).replaceWithVoid();
    }

    public Uni<Void> update(SqlConnection tx, List<WorkingOrder> orders) {
        if (orders.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>(orders.size());
        for (WorkingOrder o : orders) {
            rows.add(mutable(Tuple.of(o.id()), o));
        }
        return tx.preparedQuery("UPDATE orders SET quantity = $2, price = $3, stop_price = $4, trigger_price = $5, trail_reference = $6, "
                        + "triggered_at = $7, filled_quantity = $8, average_price = $9, fees = $10, status = $11, reject_reason = $12, "
                        + "reject_detail = $13, venue_order_id = $14, oco_partner_id = $15, updated_at = $16, cancel_requested_at = $17 "
                        + "WHERE id = $1")
                .executeBatch(rows).replaceWithVoid();
    }

    private static Tuple mutable(Tuple t, WorkingOrder o) {
        return t.addValue(o.quantity()).addValue(o.price()).addValue(o.stopPrice()).addValue(o.triggerPrice()).addValue(o.trailReference())
                .addValue(utc(o.triggeredAt())).addValue(o.filledQuantity()).addValue(o.averagePrice()).addValue(o.fees())
                .addValue(o.status().name()).addValue(o.rejectReason() == null ? null : o.rejectReason().name())
                .addValue(o.rejectDetail()).addValue(o.venueOrderId()).addValue(o.ocoPartnerId()).addValue(utc(o.updatedAt()))
                .addValue(utc(o.cancelRequestedAt()));
    }

    public Uni<Void> insertTransitions(SqlConnection tx, List<WorkingOrder> orders, List<List<Transition>> transitions) {
        List<Tuple> rows = new ArrayList<>();
        for (int i = 0; i < orders.size(); i++) {
            for (Transition t : transitions.get(i)) {
                rows.add(Tuple.of(orders.get(i).id(), t.seq(), t.from() == null ? null : t.from().name(), t.to().name(), t.cause(), utc(t.at())));
            }
        }
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("INSERT INTO order_transitions (order_id, seq, from_status, to_status, cause, at) VALUES ($1, $2, $3, $4, $5, $6)")
                .executeBatch(rows).replaceWithVoid();
    }

    /**
     * Whether the order ended by a replace alone: the transition that took it to its end came from PENDING_REPLACE
     * (a late fill's booking after the end, which changes no status, is not that transition), and no cancel of it
     * asked for still stands. A cancel stands unless the venue refused it and the order was working again after it
     * (a PENDING_CANCEL restored): a refused cancel does not make a later re-price's end a cancel.
     */
    public Uni<Boolean> endedByReplaceOnly(UUID id) {
        return pool.preparedQuery("SELECT (SELECT t.from_status FROM order_transitions t WHERE t.order_id = o.id "
                        + "AND t.from_status IS DISTINCT FROM t.to_status ORDER BY t.seq DESC LIMIT 1) IS NOT DISTINCT FROM 'PENDING_REPLACE' "
                        + "AND (o.cancel_requested_at IS NULL OR o.cancel_requested_at <= COALESCE((SELECT max(t.at) FROM order_transitions t "
                        + "WHERE t.order_id = o.id AND t.from_status = 'PENDING_CANCEL' AND t.to_status IN ('OPEN', 'PARTIALLY_FILLED')), "
                        + "'-infinity'::timestamptz)) AS by_replace FROM orders o WHERE o.id = $1")
                .execute(Tuple.of(id))
                .map(rows -> first(rows).map(r -> Boolean.TRUE.equals(r.getBoolean("by_replace"))).orElse(false));
    }

    public Uni<Optional<Order>> find(UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM orders o WHERE o.id = $1").execute(Tuple.of(id))
                .map(rows -> first(rows).map(OrderRepository::toOrder));
    }

    public Uni<Optional<Order>> findByClientOrderId(String clientOrderId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM orders o WHERE o.client_order_id = $1").execute(Tuple.of(clientOrderId))
                .map(rows -> first(rows).map(OrderRepository::toOrder));
    }

    /** Newest first. Every filter may be null. */
    public Uni<List<Order>> list(OrderStatus status, InstrumentId instrument, String model, Instant since, int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM orders o WHERE ($1::text IS NULL OR o.status = $1) "
                        + "AND ($2::text IS NULL OR (o.symbol = $2 AND o.venue = $3)) AND ($4::text IS NULL OR o.model = $4) "
                        + "AND ($5::timestamptz IS NULL OR o.created_at >= $5) ORDER BY o.created_at DESC, o.id LIMIT $6")
                .execute(Tuple.of(status == null ? null : status.name(), instrument == null ? null : instrument.symbol(),
                        instrument == null ? null : instrument.venue(), model, utc(since), limit))
                .map(OrderRepository::toOrders);
    }

    /** Orders not yet in a final status, oldest first, with their transition count. */
    public Uni<List<SavedWorkingOrder>> findWorking() {
        return pool.query("SELECT " + COLUMNS + ", (SELECT count(*) FROM order_transitions t WHERE t.order_id = o.id) AS transitions "
                        + "FROM orders o WHERE o.status IN " + WORKING + " ORDER BY o.created_at, o.id")
                .execute()
                .map(rows -> {
                    List<SavedWorkingOrder> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new SavedWorkingOrder(spec(r), saved(r, r.getLong("transitions").intValue())));
                    }
                    return out;
                });
    }

    /** One order as saved, if it is still working. */
    public Uni<Optional<SavedWorkingOrder>> findWorking(UUID id) {
        return findSavedWhere("o.id = $1 AND o.status IN " + WORKING, Tuple.of(id));
    }

    /** One order as saved, whatever its status, with its transition count. */
    public Uni<Optional<SavedWorkingOrder>> findSaved(UUID id) {
        return findSavedWhere("o.id = $1", Tuple.of(id));
    }

    /** One order as saved by its client order id, whatever its status, with its transition count. */
    public Uni<Optional<SavedWorkingOrder>> findSaved(String clientOrderId) {
        return findSavedWhere("o.client_order_id = $1", Tuple.of(clientOrderId));
    }

    /**
     * One order as saved, by the client order id its venue knows it by where that is not ours (Binance's digest of a
     * long id), whatever its status, with its transition count.
     */
    public Uni<Optional<SavedWorkingOrder>> findSavedAtVenue(String venue, String venueClientId) {
        return findSavedWhere("o.venue_client_id = $1 AND o.venue = $2", Tuple.of(venueClientId, venue));
    }

    private Uni<Optional<SavedWorkingOrder>> findSavedWhere(String where, Tuple args) {
        return pool.preparedQuery("SELECT " + COLUMNS + ", (SELECT count(*) FROM order_transitions t WHERE t.order_id = o.id) AS transitions "
                        + "FROM orders o WHERE " + where)
                .execute(args)
                .map(rows -> first(rows).map(r -> new SavedWorkingOrder(spec(r), saved(r, r.getLong("transitions").intValue()))));
    }

    static OrderSpec spec(Row r) {
        String contingency = r.getString("contingency");
        return new OrderSpec(r.getUUID("id"), r.getString("client_order_id"), new InstrumentId(r.getString("symbol"), r.getString("venue")),
                Side.valueOf(r.getString("side")), OrderType.valueOf(r.getString("type")), TimeInForce.valueOf(r.getString("time_in_force")),
                decimal(r, "quote_quantity"), decimal(r, "trailing_offset"), decimal(r, "trailing_offset_bps"), decimal(r, "limit_offset"),
                r.getBoolean("post_only"), instant(r, "expire_at"), r.getString("model"),
                contingency == null ? null : ContingencyType.valueOf(contingency), r.getUUID("parent_id"), instant(r, "created_at"));
    }

    static WorkingOrder.Saved saved(Row r, int transitions) {
        String reason = r.getString("reject_reason");
        return new WorkingOrder.Saved(OrderStatus.valueOf(r.getString("status")), decimal(r, "quantity"), decimal(r, "price"),
                decimal(r, "stop_price"), decimal(r, "filled_quantity"), decimal(r, "average_price"), decimal(r, "fees"),
                reason == null ? null : RejectReason.valueOf(reason), r.getString("reject_detail"), r.getString("venue_order_id"),
                decimal(r, "trigger_price"), decimal(r, "trail_reference"), instant(r, "triggered_at"), r.getUUID("oco_partner_id"),
                children(r).stream().map(UUID::fromString).toList(), instant(r, "cancel_requested_at"), instant(r, "updated_at"), transitions);
    }

    static Order toOrder(Row r) {
        return WorkingOrder.restore(spec(r), saved(r, 0)).toWire();
    }

    private static List<String> children(Row r) {
        String[] ids = r.getArrayOfStrings("children");
        return ids == null ? List.of() : Arrays.asList(ids);
    }

    private static List<Order> toOrders(RowSet<Row> rows) {
        List<Order> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(toOrder(r));
        }
        return out;
    }
}

package dev.tradeplane.ops.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tradeplane.model.AuditEntry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Queries on the audit table. Rows are only ever inserted (a trigger refuses updates and deletes). */
@Singleton
public class AuditRepository {

    private final Pool pool;
    private final ObjectMapper mapper;

    public AuditRepository(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
    }

    public Uni<AuditEntry> insert(SqlConnection tx, Instant at, String actor, String action, String subject, String policy, JsonNode trigger,
                                  String result, JsonNode detail) {
        return tx.preparedQuery("INSERT INTO audit (at, actor, action, subject, policy, trigger, result, detail) "
                        + "VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, $7, $8::text::jsonb) RETURNING seq")
                .execute(Tuple.from(new Object[] {at.atOffset(ZoneOffset.UTC), actor, action, subject, policy, text(trigger), result, text(detail)}))
                .map(rows -> new AuditEntry(rows.iterator().next().getLong("seq"), at, actor, action, subject, policy, trigger, result, detail));
    }

    /** The newest entries first, optionally only those before {@code beforeSeq}, of an actor or about a subject. */
    public Uni<List<AuditEntry>> list(Long beforeSeq, String actor, String subject, int limit) {
        return pool.preparedQuery("SELECT seq, at, actor, action, subject, policy, trigger::text AS trigger, result, detail::text AS detail FROM audit "
                        + "WHERE ($1::bigint IS NULL OR seq < $1) AND ($2::text IS NULL OR actor = $2) AND ($3::text IS NULL OR subject = $3) "
                        + "ORDER BY seq DESC LIMIT $4")
                .execute(Tuple.of(beforeSeq, actor, subject, limit))
                .map(rows -> {
                    List<AuditEntry> out = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        out.add(new AuditEntry(r.getLong("seq"), r.getOffsetDateTime("at").toInstant(), r.getString("actor"), r.getString("action"),
                                r.getString("subject"), r.getString("policy"), json(r.getString("trigger")), r.getString("result"),
                                json(r.getString("detail"))));
                    }
                    return out;
                });
    }

    private String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.toString();
    }

    private JsonNode json(String text) {
        try {
            return text == null ? null : mapper.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable audit json", e);
        }
    }
}

package dev.tradeplane.ops.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tradeplane.common.outbox.Outbox;
import dev.tradeplane.model.AuditEntry;
import dev.tradeplane.model.Event;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The audit trail: each entry is written in the transaction of the action it records (with an event, when the caller
 * gives one), and once committed appended to the JSONL file. The table is the record; the file is a copy for log
 * shippers, written in commit order by one writer.
 */
@Singleton
public class AuditLog {

    private static final Logger LOG = Logger.getLogger(AuditLog.class);

    private final AuditRepository repository;
    private final Outbox outbox;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Path file;

    public AuditLog(AuditRepository repository, Outbox outbox, ObjectMapper mapper, Clock clock, AuditConfig config) {
        this.repository = repository;
        this.outbox = outbox;
        this.mapper = mapper;
        this.clock = clock;
        this.file = config.file().isBlank() || "off".equals(config.file()) ? null : Path.of(config.file());
    }

    /** Records an action in {@code tx}; {@code event} (may be null) is appended to the outbox with it. */
    public Uni<AuditEntry> record(SqlConnection tx, String actor, String action, String subject, String policy, JsonNode trigger, String result,
                                  Object detail, Event event) {
        JsonNode details = detail == null ? null : mapper.valueToTree(detail);
        return repository.insert(tx, clock.instant(), actor, action, subject, policy, trigger, result, details)
                .call(entry -> event == null ? Uni.createFrom().voidItem() : outbox.append(tx, List.of(event)));
    }

    /** Appends committed entries to the JSONL file (call after the commit). */
    public synchronized void committed(AuditEntry entry) {
        outbox.committed();
        if (file == null) {
            return;
        }
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, mapper.writeValueAsString(entry) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (JsonProcessingException e) {
            LOG.errorf("Audit entry %d could not be written as JSON: %s", entry.seq(), e.getMessage());
        } catch (IOException e) {
            LOG.errorf("Audit entry %d is in the table but not in %s: %s", entry.seq(), file, e.getMessage());
        }
    }
}

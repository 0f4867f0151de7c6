package dev.tradeplane.ops.engine;

import dev.tradeplane.common.outbox.Outbox;
import dev.tradeplane.model.EngineCircuitChange;
import dev.tradeplane.model.EventTypes;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Publishes each change of a circuit to an engine as {@code engine.circuit_changed}, so governance policies and
 * dashboards see an unreachable engine. Best effort: when PostgreSQL is down too, the change is only logged.
 */
@Singleton
public class CircuitEvents {

    private static final Logger LOG = Logger.getLogger(CircuitEvents.class);

    private final Pool pool;
    private final Outbox outbox;

    public CircuitEvents(Pool pool, Outbox outbox) {
        this.pool = pool;
        this.outbox = outbox;
    }

    void changed(@Observes EngineCircuitChange change) {
        if ("open".equals(change.state())) {
            LOG.warnf("Circuit to the engine for %s is open after %d failed calls: %s", change.venue(), change.failures(), change.error());
        } else {
            LOG.infof("Circuit to the engine for %s is closed again", change.venue());
        }
        pool.withTransaction(tx -> outbox.append(tx, List.of(outbox.event(EventTypes.ENGINE_CIRCUIT_CHANGED, change))))
                .invoke(outbox::committed)
                .subscribe().with(x -> { }, e -> LOG.warnf("The change of the circuit to %s was not published: %s", change.venue(), e.getMessage()));
    }
}

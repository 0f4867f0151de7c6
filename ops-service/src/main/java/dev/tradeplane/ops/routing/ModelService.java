package dev.tradeplane.ops.routing;

import dev.tradeplane.common.outbox.Outbox;
import dev.tradeplane.common.problem.Problems;
import dev.tradeplane.model.AuditEntry;
import dev.tradeplane.model.EventTypes;
import dev.tradeplane.model.ModelChange;
import dev.tradeplane.model.ModelRequest;
import dev.tradeplane.ops.audit.AuditLog;
import dev.tradeplane.ops.canary.CanaryPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Changes to the strategy registry: each is validated, committed with its audit line and a {@code model.changed}
 * event in one transaction, under a lock on the model's row, and only then answered.
 */
@Singleton
public class ModelService {

    /** What can be done to a model. */
    public enum Action {
        CREATE, UPDATE, PAUSE, RESUME, PROMOTE, DEMOTE, RETIRE, REDUCE_EXPOSURE;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final ModelRepository models;
    private final ModelValidator validator;
    private final AuditLog audit;
    private final Outbox outbox;
    private final Pool pool;
    private final Clock clock;
    private final CanaryPolicy canary;
    private final jakarta.enterprise.inject.Instance<dev.tradeplane.ops.allocation.AllocationService> allocations;

    public ModelService(ModelRepository models, ModelValidator validator, AuditLog audit, Outbox outbox, Pool pool, Clock clock,
                        CanaryPolicy canary, jakarta.enterprise.inject.Instance<dev.tradeplane.ops.allocation.AllocationService> allocations) {
        this.allocations = allocations;
        this.models = models;
        this.validator = validator;
        this.audit = audit;
        this.outbox = outbox;
        this.pool = pool;
        this.clock = clock;
        this.canary = canary;
    }

    /** The routing weight a model has in a status: its target when active, a fraction of it as a canary, else 0. */
    public BigDecimal weightFor(ModelStatus status, BigDecimal target) {
        return switch (status) {
            case ACTIVE -> target;
            case CANARY -> target.multiply(canary.weightFraction()).stripTrailingZeros();
            default -> BigDecimal.ZERO;
        };
    }

    public Uni<Model> create(ModelRequest request, String actor) {
        ModelValidator.Valid v = validator.forCreate(request);
        Instant now = clock.instant();
        Model model = new Model(v.name(), v.status(), weightFor(v.status(), v.targetWeight()), v.targetWeight(), v.venues(), v.symbols(),
                v.backtest(), v.owner(), null, now, now, 0, null, v.execution());
        return pool.withTransaction(tx -> models.insert(tx, model).flatMap(inserted -> {
                    if (!inserted) {
                        throw Problems.conflict("A model named " + v.name() + " exists already; change it with PUT /models/" + v.name() + ".");
                    }
                    return record(tx, Action.CREATE, actor, null, model, null);
                }))
                .invoke(entry -> {
                    audit.committed(entry);
                    allocations.get().reallocateSoon();
                })
                .replaceWith(model);
    }

    public Uni<Model> update(String name, ModelRequest request, String actor) {
        ModelValidator.Valid v = validator.forUpdate(name, request);
        return pool.withTransaction(tx -> models.lock(tx, name).flatMap(found -> {
                    Model current = found.orElseThrow(() -> Problems.notFound("No model " + name));
                    if (request.version() != null && request.version() != current.version()) {
                        throw Problems.versionConflict("Model " + name + " is at version " + current.version() + ", not " + request.version()
                                + "; read it again and send your change on top.");
                    }
                    Model next = new Model(name, current.status(), weightFor(current.status(), v.targetWeight()), v.targetWeight(), v.venues(),
                            v.symbols(), v.backtest(), v.owner(), current.pausedFrom(), current.createdAt(), clock.instant(),
                            current.version() + 1, current.statusReason(), v.execution());
                    return models.update(tx, next).flatMap(x -> record(tx, Action.UPDATE, actor, null, next, null))
                            .map(entry -> new Changed(next, entry));
                }))
                .invoke(c -> audit.committed(c.entry()))
                .map(Changed::model);
    }

    /**
     * Moves a model through its life: pause (remembering where it was), resume, promote (candidate to canary,
     * canary to active), demote (active to canary, canary retired), retire. Asking for the state the model is
     * already in changes nothing; a move its state does not allow answers 409.
     */
    public Uni<Model> transition(String name, Action action, String actor, String reason) {
        return transition(name, action, actor, reason, null);
    }

    /** The same, recording the policy and the events that caused it (governance). */
    public Uni<Model> transition(String name, Action action, String actor, String reason, PolicyContext policy) {
        return pool.withTransaction(tx -> models.lock(tx, name).flatMap(found -> {
                    Model current = found.orElseThrow(() -> Problems.notFound("No model " + name));
                    ModelStatus target = next(current, action);
                    if (target == current.status()) {
                        return Uni.createFrom().item(new Changed(current, null));
                    }
                    Model changed = new Model(name, target, weightFor(target, current.targetWeight()), current.targetWeight(), current.venues(),
                            current.symbols(), current.backtest(), current.owner(),
                            target == ModelStatus.PAUSED ? current.status() : null, current.createdAt(), clock.instant(), current.version() + 1,
                            reason == null || reason.isBlank() ? actor : actor + ": " + reason, current.execution());
                    return models.update(tx, changed).flatMap(x -> record(tx, action, actor, reason, changed, policy))
                            .map(entry -> new Changed(changed, entry));
                }))
                .invoke(c -> {
                    if (c.entry() != null) {
                        audit.committed(c.entry());
                        allocations.get().reallocateSoon();
                    }
                })
                .map(Changed::model);
    }

    /**
     * Multiplies the model's target weight by {@code factor} (0 &lt; factor &lt; 1), so it gets that much less of the
     * signals and, through the allocator, of the capital; rounded down to the 6 decimals the registry keeps.
     */
    public Uni<Model> reduceExposure(String name, BigDecimal factor, String actor, String reason, PolicyContext policy) {
        if (factor.signum() <= 0 || factor.compareTo(BigDecimal.ONE) >= 0) {
            throw Problems.invalid("factor", "must be above 0 and below 1");
        }
        return pool.withTransaction(tx -> models.lock(tx, name).flatMap(found -> {
                    Model current = found.orElseThrow(() -> Problems.notFound("No model " + name));
                    if (current.status() == ModelStatus.RETIRED) {
                        throw Problems.conflict("Model " + name + " is retired; its exposure is already nothing.");
                    }
                    BigDecimal target = current.targetWeight().multiply(factor).setScale(6, java.math.RoundingMode.DOWN).stripTrailingZeros();
                    Model next = new Model(name, current.status(), weightFor(current.status(), target), target, current.venues(),
                            current.symbols(), current.backtest(), current.owner(), current.pausedFrom(), current.createdAt(), clock.instant(),
                            current.version() + 1, current.statusReason(), current.execution());
                    return models.update(tx, next).flatMap(x -> record(tx, Action.REDUCE_EXPOSURE, actor, reason, next, policy))
                            .map(entry -> new Changed(next, entry));
                }))
                .invoke(c -> {
                    audit.committed(c.entry());
                    allocations.get().reallocateSoon();
                })
                .map(Changed::model);
    }

    /** A policy and the events that made it act, for the audit line. */
    public record PolicyContext(String policy, com.fasterxml.jackson.databind.JsonNode trigger) {}

    private record Changed(Model model, AuditEntry entry) {}

    private static ModelStatus next(Model m, Action action) {
        ModelStatus s = m.status();
        return switch (action) {
            case PAUSE -> switch (s) {
                case CANDIDATE, CANARY, ACTIVE -> ModelStatus.PAUSED;
                case PAUSED -> s;
                case RETIRED -> throw Problems.conflict("Model " + m.name() + " is retired; it cannot be paused.");
            };
            case RESUME -> switch (s) {
                case PAUSED -> m.pausedFrom() == null ? ModelStatus.CANARY : m.pausedFrom();
                case CANARY, ACTIVE -> s;
                case CANDIDATE, RETIRED -> throw Problems.conflict("Model " + m.name() + " is " + s.dbValue() + ", not paused.");
            };
            case PROMOTE -> switch (s) {
                case CANDIDATE -> ModelStatus.CANARY;
                case CANARY -> ModelStatus.ACTIVE;
                case ACTIVE -> s;
                case PAUSED, RETIRED -> throw Problems.conflict("Model " + m.name() + " is " + s.dbValue() + "; "
                        + (s == ModelStatus.PAUSED ? "resume it before promoting it." : "a retired model stays retired."));
            };
            case DEMOTE -> switch (s) {
                case ACTIVE -> ModelStatus.CANARY;
                case CANARY -> ModelStatus.RETIRED;
                case RETIRED -> s;
                case CANDIDATE, PAUSED -> throw Problems.conflict("Model " + m.name() + " is " + s.dbValue() + "; only active and canary models "
                        + "are demoted.");
            };
            case RETIRE -> ModelStatus.RETIRED;
            case CREATE, UPDATE, REDUCE_EXPOSURE -> throw new IllegalArgumentException(action + " is not a transition");
        };
    }

    private Uni<AuditEntry> record(SqlConnection tx, Action action, String actor, String reason, Model model, PolicyContext policy) {
        ModelChange change = new ModelChange(action.wireName(), actor, reason, model.toWire());
        return audit.record(tx, actor, "model." + action.wireName(), model.name(), policy == null ? null : policy.policy(),
                policy == null ? null : policy.trigger(), "ok", change, outbox.event(EventTypes.MODEL_CHANGED, change));
    }

    /** Every model, by name. */
    public Uni<List<Model>> all() {
        return models.all();
    }
}

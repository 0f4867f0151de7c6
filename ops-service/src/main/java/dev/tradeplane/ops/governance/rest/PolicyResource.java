package dev.tradeplane.ops.governance.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tradeplane.ops.governance.Policy;
import dev.tradeplane.ops.governance.PolicyStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * {@code GET /policies}: the governance policies, one entry per file of the policy directory, saying whether it is
 * in force, and when a file was refused, why (and whether an earlier version of it is still in force).
 */
@Path("/policies")
@Produces(MediaType.APPLICATION_JSON)
public class PolicyResource {

    /** The policy directory and what was made of each file in it. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Policies(String dir, int inForce, List<Entry> policies) {}

    /**
     * One file: {@code state} is {@code in_force}, {@code refused} (nothing from it is in force) or
     * {@code refused_earlier_version_in_force}; {@code definition} is the policy in force from it, as JSON.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Entry(String file, String name, Boolean enabled, String state, List<String> errors, JsonNode definition) {}

    private final PolicyStore store;

    public PolicyResource(PolicyStore store) {
        this.store = store;
    }

    @GET
    public Policies list() {
        List<Entry> entries = store.files().stream().map(l -> {
            Policy p = l.policy();
            String state = l.errors().isEmpty() ? "in_force" : p == null ? "refused" : "refused_earlier_version_in_force";
            return new Entry(l.file(), p == null ? null : p.name(), p == null ? null : p.enabled(), state, l.errors(),
                    p == null ? null : p.definition());
        }).sorted(java.util.Comparator.comparing(Entry::file)).toList();
        return new Policies(store.dir().toAbsolutePath().normalize().toString(), store.policies().size(), entries);
    }
}
